package io.execra.autoconfigure.jpa;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

import io.execra.Command;
import io.execra.ExecraListener;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Stdin;
import io.execra.interpret.JsonLinesInterpreter;
import io.execra.store.JobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A benchmark, not a test: job events persisted per second by the JPA store on PostgreSQL, beside a plain JDBC batch
 * insert of the same rows into tables of the same shape in the same database, in rounds that alternate the two in
 * the same run. Prints figures; asserts nothing about speed. Runs only with {@code EXECRA_BENCHMARK=true}, on the
 * PostgreSQL of {@code EXECRA_BENCHMARK_POSTGRES_URL} (and {@code _USER}, {@code _PASSWORD}), else that of the tests
 * ({@code EXECRA_TEST_POSTGRES_URL}):
 * <pre>
 * EXECRA_BENCHMARK=true EXECRA_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:5432/test EXECRA_TEST_POSTGRES_USER=postgres \
 *   ./mvnw -B -pl execra-autoconfigure -am test -Dtest=PersistedEventsBenchmarkTests -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Two workloads of 100,000 interpreted events each: one job, and 500 concurrent jobs of 200 events. Each job is an
 * {@code awk} printing JSON lines ({@link JsonLinesInterpreter}) in cycles of five: enter a phase, progress, a
 * warning, a finding, exit the phase; so per cycle four event rows (progress is stored at most once a second, by
 * design) and one finding row. The jobs are started first and wait
 * for a line on stdin; the clock starts when that line is written to every job and stops when every job's
 * {@code finalized} event is in the table (polled every 10 ms): process starts are not counted, the interpreter,
 * the event log, the store's writer and the database are. The baseline takes the rows the store wrote in the
 * warm-up round (jobs, tags, events, findings) and inserts them with one {@link PreparedStatement} per table through
 * the same {@link DataSource}: the jobs in one transaction, then the events in transactions of 1,000 (the store
 * writer's largest batch), each with its findings, sent with {@code executeBatch()} every {@code execra.jdbc.batch-size}
 * statements. Extra Spring properties for the store's side (e.g. {@code execra.jdbc.batch-size=1000}) can be given
 * as {@code EXECRA_BENCHMARK_PROPERTIES}, separated by spaces; each variant named with {@code EXECRA_BENCHMARK_VARIANTS}
 * (separated by {@code |}) runs in turn in the same run.
 */
@EnabledIfEnvironmentVariable(named = "EXECRA_BENCHMARK", matches = "true")
class PersistedEventsBenchmarkTests {

	private static final int EVENTS = 100_000;

	private static final int CHATTY_JOBS = 500;

	private static final int ROUNDS = 3;

	private static final int TRANSACTION_ROWS = 1000;

	@Test
	void persistedEventsBesideJdbcBatch() throws Exception {
		TestDatabase postgres = benchmarkPostgres();
		List<String> variants = variants();
		List<String> rows = new ArrayList<>();
		for (String variant : variants) {
			String prefix = TestDatabase.uniqueTablePrefix();
			String baselinePrefix = TestDatabase.uniqueTablePrefix();
			List<String> properties = new ArrayList<>(List.of("execra.jdbc.batch-size=100"));
			properties.addAll(List.of(variant.isBlank() ? new String[0] : variant.strip().split("\\s+")));
			try (ConfigurableApplicationContext context = postgres.start(prefix, properties.toArray(String[]::new))) {
				DataSource dataSource = context.getBean(DataSource.class);
				int batchSize = context.getBean(ExecraJdbcProperties.class).getBatchSize();
				try {
					createBaselineTables(dataSource, baselinePrefix);
					for (int jobs : workloads()) {
						rows.add(run(context, dataSource, prefix, baselinePrefix, jobs, batchSize,
								variant.isBlank() ? "default" : variant.strip()));
					}
				}
				finally {
					TestDatabase.dropTables(dataSource, prefix);
					dropBaselineTables(dataSource, baselinePrefix);
				}
			}
		}
		System.out.println();
		System.out.printf("%-44s %-10s %14s %14s %8s %s%n", "store settings", "jobs", "execra ev/s", "JDBC ev/s",
				"ratio", "target ≥ 20,000/s and ≥ 0.70×");
		rows.forEach(System.out::println);
	}

	private static TestDatabase benchmarkPostgres() {
		String url = System.getenv("EXECRA_BENCHMARK_POSTGRES_URL");
		if (url != null && !url.isBlank()) {
			return new TestDatabase("postgresql", url, envOr("EXECRA_BENCHMARK_POSTGRES_USER", "postgres"),
					envOr("EXECRA_BENCHMARK_POSTGRES_PASSWORD", ""));
		}
		return TestDatabase.postgresql();
	}

	/** The jobs per workload: {@code EXECRA_BENCHMARK_JOBS}, e.g. {@code 1,500} (the default). */
	private static List<Integer> workloads() {
		String jobs = envOr("EXECRA_BENCHMARK_JOBS", "1," + CHATTY_JOBS);
		return Arrays.stream(jobs.split(",")).map(String::strip).map(Integer::valueOf).toList();
	}

	private static List<String> variants() {
		String variants = System.getenv("EXECRA_BENCHMARK_VARIANTS");
		if (variants != null && !variants.isBlank()) {
			return List.of(variants.split("\\|"));
		}
		return List.of(envOr("EXECRA_BENCHMARK_PROPERTIES", ""));
	}

	private static String envOr(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

	private static String run(ConfigurableApplicationContext context, DataSource dataSource, String prefix,
			String baselinePrefix, int jobs, int batchSize, String variant) throws Exception {
		String workload = (jobs == 1) ? "1 job × " + EVENTS + " events" : jobs + " jobs × " + (EVENTS / jobs) + " events";
		System.out.printf(Locale.ROOT, "%s (%s, JDBC batch size %d):%n", workload, variant, batchSize);
		// the warm-up round also yields the rows the baseline inserts
		Execra warmUp = execra(context, dataSource, prefix, jobs);
		Rows stored = Rows.read(dataSource, prefix);
		double warmUpBaseline = baseline(dataSource, baselinePrefix, stored, batchSize);
		System.out.printf(Locale.ROOT, "  warm-up: execra %,.0f events/s (%,d events stored, %,d dropped), JDBC %,.0f"
				+ " events/s (%,d rows)%n", warmUp.eventsPerSecond(), warmUp.events(), warmUp.dropped(), warmUpBaseline,
				stored.count());
		double[] execra = new double[ROUNDS];
		double[] baseline = new double[ROUNDS];
		for (int round = 0; round < ROUNDS; round++) {
			if (round % 2 == 0) {
				execra[round] = execra(context, dataSource, prefix, jobs).eventsPerSecond();
				baseline[round] = baseline(dataSource, baselinePrefix, stored, batchSize);
			}
			else {
				baseline[round] = baseline(dataSource, baselinePrefix, stored, batchSize);
				execra[round] = execra(context, dataSource, prefix, jobs).eventsPerSecond();
			}
			System.out.printf(Locale.ROOT, "  round %d: execra %,.0f events/s, JDBC %,.0f events/s%n", round + 1,
					execra[round], baseline[round]);
		}
		double e = median(execra);
		double b = median(baseline);
		String verdict = (e >= 20_000 && e / b >= 0.7) ? "met" : "missed";
		String row = String.format(Locale.ROOT, "%-44s %-10d %,14.0f %,14.0f %7.2f× %s (spread %.0f%%, %.0f%%)",
				variant, jobs, e, b, e / b, verdict, spread(execra) * 100, spread(baseline) * 100);
		System.out.println(row);
		return row;
	}

	/** What one execra round persisted, and what its writer dropped (its buffer full). */
	private record Execra(long events, double eventsPerSecond, long dropped) {
	}

	private static Execra execra(ConfigurableApplicationContext context, DataSource dataSource, String prefix,
			int jobs) throws Exception {
		truncate(dataSource, prefix);
		AtomicLong dropped = new AtomicLong();
		ExecraListener listener = new ExecraListener() {

			@Override
			public void storeEventsDropped(long count) {
				dropped.addAndGet(count);
			}

		};
		int cycles = EVENTS / jobs / 4;
		try (ExecraRuntime runtime = ExecraRuntime.builder()
			.store(context.getBean(JobStore.class))
			.nodeId("bench-" + UUID.randomUUID())
			.listener(listener)
			.maxConcurrent(jobs)
			.queueCapacity(jobs)
			.build()) {
			List<JobHandle> handles = new ArrayList<>(jobs);
			for (int i = 0; i < jobs; i++) {
				handles.add(runtime.spawn(chatty(cycles)));
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
			for (JobHandle handle : handles) {
				while (handle.snapshot().pid() == null) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException("job " + handle.id() + " did not start in 120 s");
					}
					Thread.sleep(1);
				}
			}
			// the clock measures the interpreted events: the jobs' starts are stored before it runs
			awaitStored(dataSource, prefix, "job_started", jobs, deadline);
			long before = count(dataSource, "SELECT count(*) FROM " + prefix + "EVENT");
			long start = System.nanoTime();
			for (JobHandle handle : handles) {
				handle.writeLine("go");
				handle.closeStdin();
			}
			for (JobHandle handle : handles) {
				if (!handle.await().isSuccess()) {
					throw new IllegalStateException("job " + handle.id() + " failed: " + handle.snapshot());
				}
			}
			awaitStored(dataSource, prefix, "finalized", jobs, System.nanoTime() + TimeUnit.SECONDS.toNanos(300));
			double seconds = (System.nanoTime() - start) / 1e9;
			long events = count(dataSource, "SELECT count(*) FROM " + prefix + "EVENT");
			long findings = count(dataSource, "SELECT count(*) FROM " + prefix + "FINDING");
			long expected = (long) cycles * 4 * jobs;
			if (events + dropped.get() < expected) {
				throw new IllegalStateException("stored " + events + " events (" + expected
						+ " interpreted expected, and the lifecycle's) and " + findings + " findings; "
						+ dropped.get() + " dropped by the writer");
			}
			if (dropped.get() > 0) {
				System.out.printf(Locale.ROOT, "  the writer dropped %,d events (its buffer of %,d was full)%n",
						dropped.get(), io.execra.ExecraSettings.DEFAULT_STORE_BUFFER_CAPACITY);
			}
			return new Execra(events - before, (events - before) / seconds, dropped.get());
		}
	}

	/**
	 * An awk that waits for a line on stdin, then prints the cycles of JSON events and exits: enter a phase,
	 * progress, a warning, a finding, exit the phase. Progress is stored at most once a second (a job's progress can
	 * change on every line), so four of the five become rows.
	 */
	private static Command chatty(int cycles) {
		String script = "NR == 1 { for (i = 1; i <= n; i++) {"
				+ " print \"{\\\"type\\\":\\\"phase\\\",\\\"name\\\":\\\"step\\\",\\\"label\\\":\\\"Step \" i \"\\\"}\";"
				+ " print \"{\\\"type\\\":\\\"progress\\\",\\\"done\\\":\" i \",\\\"total\\\":\" n \"}\";"
				+ " print \"{\\\"type\\\":\\\"warning\\\",\\\"code\\\":\\\"slow\\\",\\\"message\\\":\\\"step \" i \" is slow\\\"}\";"
				+ " print \"{\\\"type\\\":\\\"finding\\\",\\\"code\\\":\\\"F\" (i % 100) \"\\\",\\\"severity\\\":\\\"warning\\\","
				+ "\\\"message\\\":\\\"finding \" i \" of the benchmark\\\"}\";"
				+ " print \"{\\\"type\\\":\\\"phase_end\\\"}\" } exit }";
		return Command.of("awk", "-v", "n=" + cycles, script).stdin(Stdin.pipe()).interpreter(new JsonLinesInterpreter());
	}

	private static void awaitStored(DataSource dataSource, String prefix, String kind, int jobs, long deadline)
			throws Exception {
		String sql = "SELECT count(*) FROM " + prefix + "EVENT WHERE KIND = '" + kind + "'";
		while (count(dataSource, sql) < jobs) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the " + kind + " events of " + jobs + " jobs were not stored in time");
			}
			Thread.sleep(10);
		}
	}

	/** Inserts the rows with plain JDBC batches and returns the event rows per second. */
	private static double baseline(DataSource dataSource, String prefix, Rows rows, int batchSize)
			throws SQLException {
		truncate(dataSource, prefix);
		long start = System.nanoTime();
		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (PreparedStatement jobs = insert(connection, prefix, "JOB", rows.jobs());
					PreparedStatement tags = insert(connection, prefix, "JOB_TAG", rows.tags());
					PreparedStatement events = insert(connection, prefix, "EVENT", rows.events());
					PreparedStatement findings = insert(connection, prefix, "FINDING", rows.findings())) {
				batch(jobs, rows.jobs().rows(), batchSize);
				batch(tags, rows.tags().rows(), batchSize);
				connection.commit();
				List<Object[]> eventRows = rows.events().rows();
				for (int from = 0; from < eventRows.size(); from += TRANSACTION_ROWS) {
					List<Object[]> chunk = eventRows.subList(from, Math.min(eventRows.size(), from + TRANSACTION_ROWS));
					batch(events, chunk, batchSize);
					List<Object[]> chunkFindings = new ArrayList<>();
					for (Object[] event : chunk) {
						Object[] finding = rows.findingOf(event);
						if (finding != null) {
							chunkFindings.add(finding);
						}
					}
					batch(findings, chunkFindings, batchSize);
					connection.commit();
				}
			}
		}
		return rows.events().rows().size() / ((System.nanoTime() - start) / 1e9);
	}

	private static PreparedStatement insert(Connection connection, String prefix, String table, Table rows)
			throws SQLException {
		String marks = String.join(", ", java.util.Collections.nCopies(rows.columns(), "?"));
		return connection.prepareStatement("INSERT INTO " + prefix + table + " VALUES (" + marks + ")");
	}

	private static void batch(PreparedStatement statement, List<Object[]> rows, int batchSize) throws SQLException {
		int pending = 0;
		for (Object[] row : rows) {
			for (int i = 0; i < row.length; i++) {
				statement.setObject(i + 1, row[i]);
			}
			statement.addBatch();
			if (++pending == batchSize) {
				statement.executeBatch();
				pending = 0;
			}
		}
		if (pending > 0) {
			statement.executeBatch();
		}
	}

	/** The rows of one table, in the order of its columns. */
	private record Table(int columns, List<Object[]> rows) {

		static Table read(Connection connection, String sql) throws SQLException {
			try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
				int columns = result.getMetaData().getColumnCount();
				List<Object[]> rows = new ArrayList<>();
				while (result.next()) {
					Object[] row = new Object[columns];
					for (int i = 0; i < columns; i++) {
						row[i] = result.getObject(i + 1);
					}
					rows.add(row);
				}
				return new Table(columns, rows);
			}
		}

	}

	/** What the store wrote in one round: events in the order they were written (per job by seq). */
	private record Rows(Table jobs, Table tags, Table events, Table findings, Map<String, Object[]> findingByEvent) {

		static Rows read(DataSource dataSource, String prefix) throws SQLException {
			try (Connection connection = dataSource.getConnection()) {
				Table findings = Table.read(connection, "SELECT * FROM " + prefix + "FINDING");
				Map<String, Object[]> byEvent = new HashMap<>();
				for (Object[] finding : findings.rows()) {
					byEvent.put(finding[0] + "/" + finding[1], finding);
				}
				return new Rows(Table.read(connection, "SELECT * FROM " + prefix + "JOB"),
						Table.read(connection, "SELECT * FROM " + prefix + "JOB_TAG"),
						Table.read(connection, "SELECT * FROM " + prefix + "EVENT ORDER BY SEQ, JOB_ID"), findings,
						byEvent);
			}
		}

		Object[] findingOf(Object[] event) {
			return this.findingByEvent.get(event[0] + "/" + event[1]);
		}

		long count() {
			return this.jobs.rows().size() + this.tags.rows().size() + this.events.rows().size()
					+ this.findings.rows().size();
		}

	}

	/** Creates tables of the store's shape (the shipped script, its prefix replaced) for the baseline. */
	private static void createBaselineTables(DataSource dataSource, String prefix) throws IOException, SQLException {
		String script;
		try (InputStream in = JpaJobStore.class.getResourceAsStream("schema-postgresql.sql")) {
			script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		StringBuilder sql = new StringBuilder();
		for (String line : script.split("\n")) {
			if (!line.startsWith("--")) {
				sql.append(line).append('\n');
			}
		}
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			for (String part : sql.toString().replace("EXECRA_", prefix).split(";")) {
				if (!part.isBlank()) {
					statement.execute(part);
				}
			}
		}
	}

	private static void dropBaselineTables(DataSource dataSource, String prefix) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			for (String table : TestDatabase.TABLES) {
				statement.execute("DROP TABLE IF EXISTS " + prefix + table);
			}
		}
	}

	private static void truncate(DataSource dataSource, String prefix) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("TRUNCATE " + String.join(", ",
					Arrays.stream(TestDatabase.TABLES).map((table) -> prefix + table).toList()));
		}
	}

	private static long count(DataSource dataSource, String sql) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private static double spread(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return (sorted[sorted.length - 1] - sorted[0]) / median(values);
	}

}
