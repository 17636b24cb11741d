package io.execra.autoconfigure.jpa;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import io.execra.CommandLimits;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Persistable;

/**
 * A row of {@code EXECRA_JOB}: a job snapshot, with its tags in {@code EXECRA_JOB_TAG}. Value types are JSON
 * ({@link ExecraJsonCodec}); times are epoch milliseconds. The id is assigned by the runtime, so inserts batch.
 */
@Entity(name = "ExecraJob")
@Table(name = "EXECRA_JOB")
class JobEntity implements Persistable<UUID> {

	@Id
	@JdbcTypeCode(SqlTypes.CHAR)
	@Column(name = "ID", length = 36)
	private UUID id;

	@Column(name = "NODE", nullable = false)
	private String node;

	@Column(name = "OWNER", length = CommandLimits.MAX_OWNER_LENGTH)
	private @Nullable String owner;

	@Column(name = "STATE", nullable = false, length = 16)
	private String state;

	@Column(name = "LABEL", length = CommandLimits.MAX_LABEL_LENGTH)
	private @Nullable String label;

	// read by JobReader's queries, never loaded lazily (Hibernate's batch load loses them on PostgreSQL)
	@ElementCollection
	@CollectionTable(name = "EXECRA_JOB_TAG", joinColumns = @JoinColumn(name = "JOB_ID"))
	@Column(name = "TAG", nullable = false, length = CommandLimits.MAX_TAG_LENGTH)
	private Set<String> tags = new HashSet<>();

	@JdbcTypeCode(SqlTypes.LONGVARCHAR)
	@Column(name = "COMMAND", nullable = false)
	private String command;

	@JdbcTypeCode(SqlTypes.LONGVARCHAR)
	@Column(name = "PROGRESS", nullable = false)
	private String progress;

	@JdbcTypeCode(SqlTypes.LONGVARCHAR)
	@Column(name = "PHASE")
	private @Nullable String phase;

	@Column(name = "CREATED_AT", nullable = false)
	private long createdAt;

	@Column(name = "STARTED_AT")
	private @Nullable Long startedAt;

	@Column(name = "FINISHED_AT")
	private @Nullable Long finishedAt;

	@Column(name = "PID")
	private @Nullable Long pid;

	@Column(name = "EXIT_CODE")
	private @Nullable Integer exitCode;

	@Column(name = "EXIT_SIGNAL")
	private @Nullable Integer exitSignal;

	@Column(name = "OUTCOME_KIND", length = 16)
	private @Nullable String outcomeKind;

	@JdbcTypeCode(SqlTypes.LONGVARCHAR)
	@Column(name = "OUTCOME")
	private @Nullable String outcome;

	@JdbcTypeCode(SqlTypes.LONGVARCHAR)
	@Column(name = "OUTPUT_TAIL")
	private @Nullable String outputTail;

	@Column(name = "SCHEMA_VERSION", nullable = false)
	private int schemaVersion;

	@Transient
	private boolean fresh = true;

	protected JobEntity() {
		this.id = new UUID(0, 0);
		this.node = "";
		this.state = "";
		this.command = "";
		this.progress = "";
	}

	JobEntity(UUID id, String command, Set<String> tags, @Nullable String owner, long createdAt) {
		this.id = id;
		this.node = "";
		this.state = "";
		this.command = command;
		this.progress = "";
		this.tags = new HashSet<>(tags);
		this.owner = owner;
		this.createdAt = createdAt;
		this.schemaVersion = JpaJobStore.SCHEMA_VERSION;
	}

	@PostLoad
	@PostPersist
	void markStored() {
		this.fresh = false;
	}

	@Override
	public UUID getId() {
		return this.id;
	}

	@Override
	public boolean isNew() {
		return this.fresh;
	}

	String getNode() {
		return this.node;
	}

	void setNode(String node) {
		this.node = node;
	}

	@Nullable String getOwner() {
		return this.owner;
	}

	String getState() {
		return this.state;
	}

	void setState(String state) {
		this.state = state;
	}

	@Nullable String getLabel() {
		return this.label;
	}

	void setLabel(@Nullable String label) {
		this.label = label;
	}

	Set<String> getTags() {
		return this.tags;
	}

	String getCommand() {
		return this.command;
	}

	String getProgress() {
		return this.progress;
	}

	void setProgress(String progress) {
		this.progress = progress;
	}

	@Nullable String getPhase() {
		return this.phase;
	}

	void setPhase(@Nullable String phase) {
		this.phase = phase;
	}

	long getCreatedAt() {
		return this.createdAt;
	}

	@Nullable Long getStartedAt() {
		return this.startedAt;
	}

	void setStartedAt(@Nullable Long startedAt) {
		this.startedAt = startedAt;
	}

	@Nullable Long getFinishedAt() {
		return this.finishedAt;
	}

	void setFinishedAt(@Nullable Long finishedAt) {
		this.finishedAt = finishedAt;
	}

	@Nullable Long getPid() {
		return this.pid;
	}

	void setPid(@Nullable Long pid) {
		this.pid = pid;
	}

	@Nullable Integer getExitCode() {
		return this.exitCode;
	}

	void setExitCode(@Nullable Integer exitCode) {
		this.exitCode = exitCode;
	}

	@Nullable Integer getExitSignal() {
		return this.exitSignal;
	}

	void setExitSignal(@Nullable Integer exitSignal) {
		this.exitSignal = exitSignal;
	}

	@Nullable String getOutcomeKind() {
		return this.outcomeKind;
	}

	void setOutcomeKind(@Nullable String outcomeKind) {
		this.outcomeKind = outcomeKind;
	}

	@Nullable String getOutcome() {
		return this.outcome;
	}

	void setOutcome(@Nullable String outcome) {
		this.outcome = outcome;
	}

	@Nullable String getOutputTail() {
		return this.outputTail;
	}

	void setOutputTail(@Nullable String outputTail) {
		this.outputTail = outputTail;
	}

	int getSchemaVersion() {
		return this.schemaVersion;
	}

	/** For rows read with plain JDBC ({@link JobRows}), whose version is checked as a loaded entity's is. */
	void setSchemaVersion(int schemaVersion) {
		this.schemaVersion = schemaVersion;
	}

}
