package io.execra.autoconfigure.jpa;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import io.execra.Event;
import io.execra.Finding;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;

/**
 * Inserts the rows of new events and findings with plain JDBC batches, on the connection of the caller's
 * transaction. They are only ever inserted, never read back in the transaction that writes them, so as entities
 * they paid for a persist, a place in the persistence context and Hibernate's flush for nothing; that work held
 * the store writer (one thread) while the database waited for it. The columns are those of
 * {@link EventEntity} and {@link FindingEntity}, which the reads still use.
 */
final class EventRows {

	private final EntityManager entityManager;

	private final JobMapper mapper;

	private final int batchSize;

	private final String insertEvent;

	private final String insertFinding;

	/**
	 * @param entityManager the shared entity manager, whose session's connection the rows are written on
	 * @param mapper the JSON of the payloads
	 * @param tablePrefix the table prefix
	 * @param batchSize statements per JDBC batch
	 */
	EventRows(EntityManager entityManager, JobMapper mapper, String tablePrefix, int batchSize) {
		this.entityManager = entityManager;
		this.mapper = mapper;
		this.batchSize = batchSize;
		this.insertEvent = "INSERT INTO " + tablePrefix + "EVENT (JOB_ID, SEQ, OCCURRED_AT, KIND, PAYLOAD,"
				+ " SCHEMA_VERSION) VALUES (?, ?, ?, ?, ?, ?)";
		this.insertFinding = "INSERT INTO " + tablePrefix + "FINDING (JOB_ID, SEQ, FOUND_AT, SEVERITY, CODE, FINDING,"
				+ " SCHEMA_VERSION) VALUES (?, ?, ?, ?, ?, ?, ?)";
	}

	/**
	 * Inserts the rows, after the pending writes of the transaction's entities (the jobs they belong to).
	 * @param events the events, none stored yet
	 * @param findings the finding events among them
	 */
	void insert(List<Event> events, List<Event.FindingEmitted> findings) {
		if (events.isEmpty()) {
			return;
		}
		this.entityManager.flush();
		this.entityManager.unwrap(Session.class).doWork((connection) -> {
			insertEvents(connection, events);
			insertFindings(connection, findings);
		});
	}

	private void insertEvents(Connection connection, List<Event> events) throws SQLException {
		JdbcBatches.execute(connection, this.insertEvent, events, this.batchSize, (statement, event) -> {
			statement.setString(1, event.jobId().toString());
			statement.setLong(2, event.seq());
			statement.setLong(3, event.at().toEpochMilli());
			statement.setString(4, event.kind());
			statement.setString(5, this.mapper.payload(event));
			statement.setInt(6, JpaJobStore.SCHEMA_VERSION);
		});
	}

	private void insertFindings(Connection connection, List<Event.FindingEmitted> findings) throws SQLException {
		JdbcBatches.execute(connection, this.insertFinding, findings, this.batchSize, (statement, emitted) -> {
			Finding finding = emitted.finding();
			statement.setString(1, emitted.jobId().toString());
			statement.setLong(2, emitted.seq());
			statement.setLong(3, finding.at().toEpochMilli());
			statement.setString(4, finding.severity().name());
			statement.setString(5, finding.code());
			statement.setString(6, this.mapper.payload(finding));
			statement.setInt(7, JpaJobStore.SCHEMA_VERSION);
		});
	}

}
