package io.execra.autoconfigure.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.springframework.data.domain.Persistable;

/**
 * A row of {@code EXECRA_FINDING}: a finding copied from its {@code finding_emitted} event, with severity, code and
 * time denormalized so findings can be listed across jobs.
 */
@Entity(name = "ExecraFinding")
@Table(name = "EXECRA_FINDING")
class FindingEntity implements Persistable<EventKey> {

	@EmbeddedId
	private EventKey id;

	@Column(name = "FOUND_AT", nullable = false)
	private long foundAt;

	@Column(name = "SEVERITY", nullable = false, length = 16)
	private String severity;

	@Column(name = "CODE", nullable = false)
	private String code;

	@JdbcTypeCode(SqlTypes.LONGVARCHAR)
	@Column(name = "FINDING", nullable = false)
	private String finding;

	@Column(name = "SCHEMA_VERSION", nullable = false)
	private int schemaVersion;

	@Transient
	private boolean fresh = true;

	protected FindingEntity() {
		this.id = new EventKey(new java.util.UUID(0, 0), 0);
		this.severity = "";
		this.code = "";
		this.finding = "";
	}

	FindingEntity(EventKey id, long foundAt, String severity, String code, String finding) {
		this.id = id;
		this.foundAt = foundAt;
		this.severity = severity;
		this.code = code;
		this.finding = finding;
		this.schemaVersion = JpaJobStore.SCHEMA_VERSION;
	}

	@PostLoad
	@PostPersist
	void markStored() {
		this.fresh = false;
	}

	@Override
	public EventKey getId() {
		return this.id;
	}

	@Override
	public boolean isNew() {
		return this.fresh;
	}

	String getFinding() {
		return this.finding;
	}

	int getSchemaVersion() {
		return this.schemaVersion;
	}

}
