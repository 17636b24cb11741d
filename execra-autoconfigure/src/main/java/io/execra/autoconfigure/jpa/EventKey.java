package io.execra.autoconfigure.jpa;

import java.io.Serializable;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * The key of an event and of the finding it emitted: the job and the event's seq. Being the primary key, it is what
 * makes a retried append idempotent.
 *
 * @param jobId the job
 * @param seq the event's position in the job
 */
@Embeddable
record EventKey(@JdbcTypeCode(SqlTypes.CHAR) @Column(name = "JOB_ID", length = 36) UUID jobId,
		@Column(name = "SEQ") long seq) implements Serializable {

}
