package io.execra.autoconfigure.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of {@code EXECRA_NODE}: the last heartbeat of an application instance, which tells live nodes from gone
 * ones in stranded-job recovery.
 */
@Entity(name = "ExecraNode")
@Table(name = "EXECRA_NODE")
class NodeEntity {

	@Id
	@Column(name = "ID")
	private String id;

	@Column(name = "HEARTBEAT_AT", nullable = false)
	private long heartbeatAt;

	protected NodeEntity() {
		this.id = "";
	}

	NodeEntity(String id, long heartbeatAt) {
		this.id = id;
		this.heartbeatAt = heartbeatAt;
	}

	String getId() {
		return this.id;
	}

	long getHeartbeatAt() {
		return this.heartbeatAt;
	}

	void setHeartbeatAt(long heartbeatAt) {
		this.heartbeatAt = heartbeatAt;
	}

}
