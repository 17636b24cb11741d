package io.execra.autoconfigure.jpa;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

import io.execra.Event;
import io.execra.Finding;
import io.execra.Job;
import io.execra.store.FindingQuery;
import io.execra.store.JobStore;
import io.execra.store.StoredFinding;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.execra.store.JobStoreFixtures.at;
import static io.execra.store.JobStoreFixtures.history;
import static io.execra.store.JobStoreFixtures.newId;
import static io.execra.store.JobStoreFixtures.queued;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that the event and finding rows the {@link JpaJobStore} inserts with plain JDBC ({@link EventRowInserts})
 * land in the tables and columns the entities are mapped to, whatever the table prefix and the application's naming
 * strategy (Boot's default, which turns column names lower-case, or Hibernate's standard one, which keeps them):
 * read back with plain SQL by the schema scripts' column names, and through the store's entities.
 */
class JpaJobStoreEventRowsTests {

	private static final String BOOT_DEFAULT = "";

	private static final String STANDARD = "org.hibernate.boot.model.naming.PhysicalNamingStrategyStandardImpl";

	@Nested
	class OnH2 extends OnDatabase {

		OnH2() {
			super(TestDatabase.h2());
		}

	}

	@Nested
	class OnPostgresql extends OnDatabase {

		OnPostgresql() {
			super(TestDatabase.postgresql());
		}

	}

	@Nested
	class OnMariadb extends OnDatabase {

		OnMariadb() {
			super(TestDatabase.mariadb());
		}

	}

	abstract static class OnDatabase {

		private final TestDatabase database;

		OnDatabase(TestDatabase database) {
			this.database = database;
		}

		@ParameterizedTest(name = "naming strategy ''{0}''")
		@ValueSource(strings = { BOOT_DEFAULT, STANDARD })
		void eventAndFindingRowsLandInTheMappedColumnsOfThePrefixedTables(String namingStrategy) {
			// a lower-case prefix where the strategy keeps case: MariaDB compares table names case-sensitively
			String prefix = namingStrategy.isEmpty() ? TestDatabase.uniqueTablePrefix()
					: TestDatabase.uniqueTablePrefix().toLowerCase(Locale.ROOT);
			String[] properties = namingStrategy.isEmpty() ? new String[0]
					: new String[] { "spring.jpa.hibernate.naming.physical-strategy=" + namingStrategy };
			try (ConfigurableApplicationContext context = this.database.start(prefix, properties)) {
				DataSource dataSource = context.getBean(DataSource.class);
				try {
					JobStore store = context.getBean(JobStore.class);
					// a job inserted with its events, and one stored before its events come
					Job inserted = queued(newId(), "n", at(0), null);
					List<Event> insertedEvents = withSubMillisecondEvent(history(inserted.id()), inserted);
					store.write(List.of(inserted), insertedEvents);
					Job existing = queued(newId(), "n", at(0), null);
					store.upsert(List.of(existing));
					List<Event> existingEvents = withSubMillisecondEvent(history(existing.id()), existing);
					store.append(existingEvents);

					JdbcTemplate jdbc = new JdbcTemplate(dataSource);
					assertRows(jdbc, prefix, inserted, insertedEvents);
					assertRows(jdbc, prefix, existing, existingEvents);
					assertThat(store.events(inserted.id(), 0, 100)).isEqualTo(insertedEvents);
					assertThat(store.events(existing.id(), 0, 100)).isEqualTo(existingEvents);
					assertThat(store.findings(new FindingQuery(existing.id(), Set.of(), null, 10)))
						.containsExactlyElementsOf(findings(existingEvents));
				}
				finally {
					TestDatabase.dropTables(dataSource, prefix);
				}
			}
		}

		private static List<Event> withSubMillisecondEvent(List<Event> events, Job job) {
			List<Event> all = new ArrayList<>(events);
			all.add(new Event.LabelUpdated(job.id(), events.size() + 1, Instant.parse("2026-01-02T03:04:05.123456789Z"),
					"late label"));
			return all;
		}

		private static List<StoredFinding> findings(List<Event> events) {
			return events.stream()
				.filter(Event.FindingEmitted.class::isInstance)
				.map((event) -> new StoredFinding(event.jobId(), event.seq(), ((Event.FindingEmitted) event).finding()))
				.toList();
		}

		private static void assertRows(JdbcTemplate jdbc, String prefix, Job job, List<Event> events) {
			ExecraJsonCodec json = new ExecraJsonCodec();
			List<Map<String, Object>> rows = jdbc.queryForList("SELECT JOB_ID, SEQ, OCCURRED_AT, KIND, PAYLOAD,"
					+ " SCHEMA_VERSION FROM " + prefix + "EVENT WHERE JOB_ID = ? ORDER BY SEQ",
					job.id().value().toString());
			assertThat(rows).as("event rows of job %s", job.id()).hasSameSizeAs(events);
			for (int i = 0; i < events.size(); i++) {
				Event event = events.get(i);
				Map<String, Object> row = rows.get(i);
				assertThat(row.get("JOB_ID")).isEqualTo(job.id().value().toString());
				assertThat(((Number) row.get("SEQ")).longValue()).isEqualTo(event.seq());
				assertThat(((Number) row.get("OCCURRED_AT")).longValue()).isEqualTo(event.at().toEpochMilli());
				assertThat(row.get("KIND")).isEqualTo(event.kind());
				assertThat(row.get("PAYLOAD")).isEqualTo(json.write(Event.class, event));
				assertThat(((Number) row.get("SCHEMA_VERSION")).intValue()).isEqualTo(JpaJobStore.SCHEMA_VERSION);
			}
			List<Map<String, Object>> findingRows = jdbc.queryForList("SELECT JOB_ID, SEQ, FOUND_AT, SEVERITY, CODE,"
					+ " FINDING, SCHEMA_VERSION FROM " + prefix + "FINDING WHERE JOB_ID = ? ORDER BY SEQ",
					job.id().value().toString());
			List<StoredFinding> expected = findings(events);
			assertThat(findingRows).as("finding rows of job %s", job.id()).hasSameSizeAs(expected);
			for (int i = 0; i < expected.size(); i++) {
				Finding finding = expected.get(i).finding();
				Map<String, Object> row = findingRows.get(i);
				assertThat(row.get("JOB_ID")).isEqualTo(job.id().value().toString());
				assertThat(((Number) row.get("SEQ")).longValue()).isEqualTo(expected.get(i).seq());
				assertThat(((Number) row.get("FOUND_AT")).longValue()).isEqualTo(finding.at().toEpochMilli());
				assertThat(row.get("SEVERITY")).isEqualTo(finding.severity().name());
				assertThat(row.get("CODE")).isEqualTo(finding.code());
				assertThat(row.get("FINDING")).isEqualTo(json.write(Finding.class, finding));
				assertThat(((Number) row.get("SCHEMA_VERSION")).intValue()).isEqualTo(JpaJobStore.SCHEMA_VERSION);
			}
		}

	}

}
