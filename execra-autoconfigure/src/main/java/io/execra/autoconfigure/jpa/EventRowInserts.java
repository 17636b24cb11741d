package io.execra.autoconfigure.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.execra.Event;
import io.execra.Finding;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.metamodel.mapping.AttributeMapping;
import org.hibernate.metamodel.mapping.EmbeddableValuedModelPart;
import org.hibernate.metamodel.mapping.SelectableMapping;
import org.hibernate.persister.entity.EntityPersister;

/**
 * Inserts the append-only {@code EXECRA_EVENT} and {@code EXECRA_FINDING} rows with plain JDBC batches, on the
 * connection of the transaction that writes the job rows through Hibernate. These rows are never updated and never
 * read back in the transaction that writes them, so the persistence context, entity instances and Hibernate's flush
 * cost them time and buy them nothing. The statements name the table and columns that
 * Hibernate maps {@link EventEntity} and {@link FindingEntity} to (the table prefix and the application's naming
 * strategy applied), and the values are those the entities hold, so the rows read back through the entities as
 * before. Thread-safe.
 */
final class EventRowInserts {

	private static final String[] EVENT_COLUMNS = { "occurredAt", "kind", "payload", "schemaVersion" };

	private static final String[] FINDING_COLUMNS = { "foundAt", "severity", "code", "finding", "schemaVersion" };

	private final String insertEvent;

	private final String insertFinding;

	private final JobMapper mapper;

	private final int batchSize;

	private EventRowInserts(String insertEvent, String insertFinding, JobMapper mapper, int batchSize) {
		this.insertEvent = insertEvent;
		this.insertFinding = insertFinding;
		this.mapper = mapper;
		this.batchSize = batchSize;
	}

	/**
	 * The inserts of the tables the persistence unit maps the event and finding entities to.
	 * @param entityManagerFactory the persistence unit
	 * @param mapper maps events and findings to row values
	 * @param batchSize statements per {@code executeBatch()}
	 * @return the inserts
	 */
	static EventRowInserts of(EntityManagerFactory entityManagerFactory, JobMapper mapper, int batchSize) {
		SessionFactoryImplementor factory = entityManagerFactory.unwrap(SessionFactoryImplementor.class);
		return new EventRowInserts(
				insert(factory.getMappingMetamodel().getEntityDescriptor(EventEntity.class), EVENT_COLUMNS),
				insert(factory.getMappingMetamodel().getEntityDescriptor(FindingEntity.class), FINDING_COLUMNS),
				mapper, batchSize);
	}

	/** The key's columns, then those of the attributes, in this order. */
	private static String insert(EntityPersister entity, String... attributes) {
		List<String> columns = new ArrayList<>();
		EmbeddableValuedModelPart key = (EmbeddableValuedModelPart) entity.getIdentifierMapping();
		columns.add(column(key.getEmbeddableTypeDescriptor().findAttributeMapping("jobId")));
		columns.add(column(key.getEmbeddableTypeDescriptor().findAttributeMapping("seq")));
		for (String attribute : attributes) {
			columns.add(column(entity.findAttributeMapping(attribute)));
		}
		return "insert into " + entity.getMappedTableDetails().getTableName() + " (" + String.join(", ", columns)
				+ ") values (" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
	}

	private static String column(AttributeMapping attribute) {
		return ((SelectableMapping) attribute).getSelectionExpression();
	}

	/** @return the insert of an event row */
	String insertEvent() {
		return this.insertEvent;
	}

	/** @return the insert of a finding row */
	String insertFinding() {
		return this.insertFinding;
	}

	/**
	 * Inserts the rows of the events, and of the findings the {@code finding_emitted} ones emitted, the events
	 * first: batches of {@code batchSize} statements per table.
	 * @param connection the connection of the transaction, after the job rows the events refer to were flushed
	 * @param events events not stored yet, of stored jobs
	 * @throws SQLException if the database refuses a row
	 */
	void insert(Connection connection, List<Event> events) throws SQLException {
		List<Event.FindingEmitted> findings = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(this.insertEvent)) {
			int pending = 0;
			for (Event event : events) {
				statement.setString(1, event.jobId().value().toString());
				statement.setLong(2, event.seq());
				statement.setLong(3, event.at().toEpochMilli());
				statement.setString(4, event.kind());
				statement.setString(5, this.mapper.payload(event));
				statement.setInt(6, JpaJobStore.SCHEMA_VERSION);
				statement.addBatch();
				pending = executeWhenFull(statement, pending + 1);
				if (event instanceof Event.FindingEmitted emitted) {
					findings.add(emitted);
				}
			}
			execute(statement, pending);
		}
		if (findings.isEmpty()) {
			return;
		}
		try (PreparedStatement statement = connection.prepareStatement(this.insertFinding)) {
			int pending = 0;
			for (Event.FindingEmitted emitted : findings) {
				Finding finding = emitted.finding();
				statement.setString(1, emitted.jobId().value().toString());
				statement.setLong(2, emitted.seq());
				statement.setLong(3, finding.at().toEpochMilli());
				statement.setString(4, finding.severity().name());
				statement.setString(5, finding.code());
				statement.setString(6, this.mapper.findingText(finding));
				statement.setInt(7, JpaJobStore.SCHEMA_VERSION);
				statement.addBatch();
				pending = executeWhenFull(statement, pending + 1);
			}
			execute(statement, pending);
		}
	}

	private int executeWhenFull(PreparedStatement statement, int pending) throws SQLException {
		if (pending < this.batchSize) {
			return pending;
		}
		statement.executeBatch();
		return 0;
	}

	private static void execute(PreparedStatement statement, int pending) throws SQLException {
		if (pending > 0) {
			statement.executeBatch();
		}
	}

}
