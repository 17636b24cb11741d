package io.execra.autoconfigure.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code EXECRA_FINDING}: a finding copied from its {@code finding_emitted} event, with severity, code and
 * time denormalized so findings can be listed across jobs. Read only: {@link EventRows} inserts the rows.
 */
@Entity(name = "ExecraFinding")
@Table(name = "EXECRA_FINDING")
class FindingEntity {

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

	protected FindingEntity() {
		this.id = new EventKey(new java.util.UUID(0, 0), 0);
		this.severity = "";
		this.code = "";
		this.finding = "";
	}

	EventKey getId() {
		return this.id;
	}

	String getFinding() {
		return this.finding;
	}

	int getSchemaVersion() {
		return this.schemaVersion;
	}

}
