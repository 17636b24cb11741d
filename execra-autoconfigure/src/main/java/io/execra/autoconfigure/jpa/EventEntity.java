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
 * A row of {@code EXECRA_EVENT}: one event of a job as JSON, with its kind and time for queries.
 */
@Entity(name = "ExecraEvent")
@Table(name = "EXECRA_EVENT")
class EventEntity implements Persistable<EventKey> {

	@EmbeddedId
	private EventKey id;

	@Column(name = "OCCURRED_AT", nullable = false)
	private long occurredAt;

	@Column(name = "KIND", nullable = false, length = 32)
	private String kind;

	@JdbcTypeCode(SqlTypes.LONGVARCHAR)
	@Column(name = "PAYLOAD", nullable = false)
	private String payload;

	@Column(name = "SCHEMA_VERSION", nullable = false)
	private int schemaVersion;

	@Transient
	private boolean fresh = true;

	protected EventEntity() {
		this.id = new EventKey(new java.util.UUID(0, 0), 0);
		this.kind = "";
		this.payload = "";
	}

	EventEntity(EventKey id, long occurredAt, String kind, String payload) {
		this.id = id;
		this.occurredAt = occurredAt;
		this.kind = kind;
		this.payload = payload;
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

	String getPayload() {
		return this.payload;
	}

	int getSchemaVersion() {
		return this.schemaVersion;
	}

}
