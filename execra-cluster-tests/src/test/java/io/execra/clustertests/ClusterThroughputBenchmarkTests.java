package io.execra.clustertests;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.execra.clustertests.dbscheduler.DbSchedulerNode;
import io.execra.clustertests.support.ClusterDatabase;
import io.execra.clustertests.support.ClusterNodes;
import io.execra.clustertests.support.JobScripts;
import io.execra.clustertests.support.Node;
import io.execra.clustertests.support.NodeSpec;
import io.execra.clustertests.support.Traces;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import static org.awaitility.Awaitility.await;

/**
 * Cluster throughput and start latency, printed beside db-scheduler's lock-and-fetch on the same PostgreSQL in the
 * same run: three execra nodes and three db-scheduler instances, each in a child JVM with the same options, 24
 * worker slots and 10 pooled connections, each job {@code /bin/true} (db-scheduler's task through
 * {@link ProcessBuilder}). Rounds alternate between the two. Jobs/s: jobs submitted across the nodes at once (by
 * {@value #CLIENTS_PER_NODE} concurrent clients per node, {@value #SPAWNS_PER_REQUEST} spawns a request; db-scheduler's
 * client schedules batches of 500), from the first submit to the last finished; the summary line gives the mean ratio of
 * the rounds after the first {@value #WARMING_ROUNDS}, with their range, and those apart. Latency: jobs submitted one at a time on node a while its slots are
 * all taken by jobs only it runs, so that each starts on another node (db-scheduler: submitted by a client), from
 * submit to the process's start. Prints; asserts
 * nothing. Run:
 * <pre>
 * EXECRA_BENCHMARK=true ./mvnw -B -pl execra-cluster-tests -am test -Dtest=ClusterThroughputBenchmarkTests \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfEnvironmentVariable(named = "EXECRA_BENCHMARK", matches = "true")
class ClusterThroughputBenchmarkTests {

	private static final int JOBS = 2000;

	/** Rounds per system, alternating: {@code EXECRA_BENCHMARK_ROUNDS}, 8 unless set. */
	private static final int ROUNDS = Integer.parseInt(System.getenv().getOrDefault("EXECRA_BENCHMARK_ROUNDS", "8"));

	/**
	 * The first rounds, which the summary reports apart: the nodes are still compiling their paths there (the JVMs
	 * run C1 only, and a round of execra's was still 20-30% below the later ones in the third).
	 */
	private static final int WARMING_ROUNDS = 3;

	/** Concurrent clients of each node, as a web app receives spawns from many requests at once. */
	private static final int CLIENTS_PER_NODE = 8;

	/** Spawns per request; a request's spawns run one after the other. */
	private static final int SPAWNS_PER_REQUEST = 25;

	private static final int LATENCY_JOBS = 200;

	private static final Duration LATENCY_GAP = Duration.ofMillis(25);

	private static final int SLOTS = 24;

	/** db-scheduler's polling interval; execra's nodes are woken by NOTIFY and poll every 500 ms. */
	private static final Duration DB_SCHEDULER_POLL = Duration.ofMillis(100);

	private static final String DB_SCHEDULER_TABLE = """
			create table scheduled_tasks (
			  task_name text not null,
			  task_instance text not null,
			  task_data bytea,
			  execution_time timestamp with time zone not null,
			  picked boolean not null,
			  picked_by text,
			  last_success timestamp with time zone,
			  last_failure timestamp with time zone,
			  consecutive_failures int,
			  last_heartbeat timestamp with time zone,
			  version bigint not null,
			  priority smallint,
			  primary key (task_name, task_instance)
			)""";

	@Test
	void execraClusterBesideDbScheduler() throws Exception {
		try (ClusterDatabase database = ClusterDatabase.create("bench")) {
			database.execute(DB_SCHEDULER_TABLE,
					"create index execution_time_idx on scheduled_tasks (execution_time)",
					"create index last_heartbeat_idx on scheduled_tasks (last_heartbeat)",
					"create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc)");
			Path work = Path.of("target", "cluster-it", "bench-" + System.currentTimeMillis()).toAbsolutePath();
			Files.createDirectories(work);
			JobScripts scripts = new JobScripts(work);
			List<Process> schedulers = new ArrayList<>();
			HikariDataSource clientPool = pool(database);
			try (ClusterNodes cluster = ClusterNodes.start(database, work, scripts,
					Map.of("execra.max-concurrent", Integer.toString(SLOTS), "execra.queue-capacity", "100000"),
					List.of(NodeSpec.of("a"), NodeSpec.of("b"), NodeSpec.of("c")));
					Closeable stopSchedulers = () -> stop(schedulers)) {
				for (String name : List.of("s1", "s2", "s3")) {
					schedulers.add(startDbScheduler(database, work, name));
				}
				OneTimeTask<Void> task = DbSchedulerNode.task(new BufferedWriter(Writer.nullWriter()), "client");
				SchedulerClient client = SchedulerClient.Builder.create(clientPool, task).build();

				List<String> rows = new ArrayList<>();
				List<Double> ratios = new ArrayList<>();
				execraThroughput(cluster, database, "warm-up", 300);
				dbSchedulerThroughput(client, task, work, "warm-up", 300);
				for (int round = 1; round <= ROUNDS; round++) {
					double execra = execraThroughput(cluster, database, "t" + round, JOBS);
					double dbScheduler = dbSchedulerThroughput(client, task, work, "t" + round, JOBS);
					rows.add(String.format(Locale.ROOT, "| execra, 3 nodes | %d | %d | %.0f |", round, JOBS, execra));
					rows.add(String.format(Locale.ROOT, "| db-scheduler 16.7.1, 3 instances | %d | %d | %.0f |", round,
							JOBS, dbScheduler));
					ratios.add(execra / dbScheduler);
				}
				List<Long> execraLatency = execraLatency(cluster, database, work);
				List<Long> dbSchedulerLatency = dbSchedulerLatency(client, task, work);
				System.out.println();
				System.out.println("Cluster throughput, /bin/true, " + SLOTS + " slots per node, one PostgreSQL:");
				System.out.println("| system | round | jobs | jobs/s |");
				System.out.println("|---|---|---|---|");
				rows.forEach(System.out::println);
				System.out.println(ratioSummary(ratios));
				System.out.println();
				System.out.println("Submit -> start on another node, " + LATENCY_JOBS + " jobs one at a time every "
						+ LATENCY_GAP.toMillis() + " ms:");
				System.out.println("| system | jobs measured | p50 ms | p99 ms | max ms |");
				System.out.println("|---|---|---|---|---|");
				System.out.println(latencyRow("execra (NOTIFY; poll 500 ms)", execraLatency));
				System.out.println(latencyRow("db-scheduler (poll " + DB_SCHEDULER_POLL.toMillis() + " ms)",
						dbSchedulerLatency));
			}
			finally {
				clientPool.close();
			}
		}
	}

	/** The ratio execra / db-scheduler of the rounds after the warming ones, with their range, and of those apart. */
	private static String ratioSummary(List<Double> ratios) {
		int warming = Math.min(WARMING_ROUNDS, ratios.size());
		DoubleSummaryStatistics warm = ratios.subList(0, warming).stream().mapToDouble(Double::doubleValue)
			.summaryStatistics();
		DoubleSummaryStatistics steady = ratios.subList(warming, ratios.size()).stream()
			.mapToDouble(Double::doubleValue)
			.summaryStatistics();
		StringBuilder summary = new StringBuilder("Ratio execra / db-scheduler by round: ");
		ratios.forEach((ratio) -> summary.append(String.format(Locale.ROOT, "%.2f ", ratio)));
		summary.append(String.format(Locale.ROOT, "%nRounds 1-%d (nodes warming up, not in the mean): %.2f-%.2fx", warming,
				warm.getMin(), warm.getMax()));
		if (steady.getCount() == 0) {
			return summary.append(String.format(Locale.ROOT, "%nNo round after them: set EXECRA_BENCHMARK_ROUNDS above %d",
					WARMING_ROUNDS)).toString();
		}
		return summary.append(String.format(Locale.ROOT, "%nRounds %d-%d: mean %.2fx, range %.2f-%.2fx", warming + 1,
				ratios.size(), steady.getAverage(), steady.getMin(), steady.getMax())).toString();
	}

	private static double execraThroughput(ClusterNodes cluster, ClusterDatabase database, String round, int jobs)
			throws Exception {
		List<Node> nodes = cluster.nodes();
		long start = System.nanoTime();
		List<String> ids = new ArrayList<>();
		ExecutorService submitters = Executors.newFixedThreadPool(nodes.size() * CLIENTS_PER_NODE);
		try {
			List<Future<List<String>>> submitted = new ArrayList<>();
			for (int n = 0; n < nodes.size(); n++) {
				Node node = nodes.get(n);
				int share = jobs / nodes.size() + ((n < jobs % nodes.size()) ? 1 : 0);
				for (int client = 0; client < CLIENTS_PER_NODE; client++) {
					int mine = share / CLIENTS_PER_NODE + ((client < share % CLIENTS_PER_NODE) ? 1 : 0);
					submitted.add(submitters.submit(() -> submit(node, mine)));
				}
			}
			for (Future<List<String>> each : submitted) {
				ids.addAll(each.get(10, TimeUnit.MINUTES));
			}
		}
		finally {
			submitters.shutdownNow();
		}
		await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
			.until(() -> count(database, "select count(*) as n from execra_job where state = 'FINALIZED' and id::text = any(?)",
					ids) == jobs);
		double seconds = (System.nanoTime() - start) / 1e9;
		System.out.printf(Locale.ROOT, "execra %s: %d jobs in %.2f s%n", round, jobs, seconds);
		return jobs / seconds;
	}

	/** One client's share of a node's jobs, in requests of {@value #SPAWNS_PER_REQUEST} spawns. */
	private static List<String> submit(Node node, int jobs) {
		List<String> ids = new ArrayList<>();
		for (int done = 0; done < jobs; done += SPAWNS_PER_REQUEST) {
			List<Map<String, Object>> batch = new ArrayList<>();
			for (int i = done; i < Math.min(jobs, done + SPAWNS_PER_REQUEST); i++) {
				batch.add(Map.of("preset", JobScripts.NOOP, "parameters", Map.of()));
			}
			ids.addAll(node.spawnBatch(batch));
		}
		return ids;
	}

	private static double dbSchedulerThroughput(SchedulerClient client, OneTimeTask<Void> task, Path work,
			String round, int jobs) {
		long start = System.nanoTime();
		List<TaskInstance<?>> instances = new ArrayList<>();
		for (int i = 0; i < jobs; i++) {
			instances.add(task.instance(round + "-" + i));
		}
		for (int from = 0; from < jobs; from += 500) {
			client.scheduleBatch(instances.subList(from, Math.min(jobs, from + 500)), Instant.now());
		}
		await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
			.until(() -> dbSchedulerRuns(work, round + "-").size() == jobs);
		double seconds = (System.nanoTime() - start) / 1e9;
		System.out.printf(Locale.ROOT, "db-scheduler %s: %d jobs in %.2f s%n", round, jobs, seconds);
		return jobs / seconds;
	}

	private static List<Long> execraLatency(ClusterNodes cluster, ClusterDatabase database, Path work)
			throws IOException {
		Node a = cluster.node("a");
		// node a's slots all taken by jobs only it runs: every job submitted on it starts on another node
		Files.createDirectories(work.resolve("busy"));
		List<String> sleepers = new ArrayList<>();
		for (int i = 0; i < SLOTS; i++) {
			sleepers.add(a.spawn(JobScripts.sleep("a"), Map.of("id", "busy-" + i, "dir",
					work.resolve("busy").toString(), "seconds", "600")));
		}
		await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
			.until(() -> count(database, "select count(*) as n from execra_job where state = 'RUNNING' and id::text"
					+ " = any(?)", sleepers) == SLOTS);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < LATENCY_JOBS; i++) {
			ids.add(a.spawn(JobScripts.NOOP, Map.of()));
			sleep(LATENCY_GAP);
		}
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
			.until(() -> count(database, "select count(*) as n from execra_job where state = 'FINALIZED' and id::text = any(?)",
					ids) == LATENCY_JOBS);
		List<Long> latencies = new ArrayList<>();
		for (Map<String, @Nullable Object> row : database.rows("select started_at - created_at as latency from"
				+ " execra_job where node <> ? and id::text = any(?)", a.nodeId(), ids)) {
			latencies.add(((Number) row.get("latency")).longValue());
		}
		sleepers.forEach(a::cancel);
		return latencies;
	}

	private static List<Long> dbSchedulerLatency(SchedulerClient client, OneTimeTask<Void> task, Path work) {
		Map<String, Long> submitted = new HashMap<>();
		for (int i = 0; i < LATENCY_JOBS; i++) {
			String id = "lat-" + i;
			submitted.put(id, System.currentTimeMillis());
			client.schedule(task.instance(id), Instant.now());
			sleep(LATENCY_GAP);
		}
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
			.until(() -> dbSchedulerRuns(work, "lat-").size() == LATENCY_JOBS);
		List<Long> latencies = new ArrayList<>();
		dbSchedulerRuns(work, "lat-").forEach((id, startedAt) -> latencies.add(startedAt - submitted.get(id)));
		return latencies;
	}

	/** The runs the db-scheduler instances recorded, by instance id with this prefix: their start (epoch ms). */
	private static Map<String, Long> dbSchedulerRuns(Path work, String prefix) {
		Map<String, Long> runs = new HashMap<>();
		for (String name : List.of("s1", "s2", "s3")) {
			for (String line : Traces.lines(work.resolve("db-scheduler-" + name))) {
				String[] fields = line.split(" ");
				if (fields.length == 4 && fields[0].startsWith(prefix)) {
					runs.put(fields[0], Long.parseLong(fields[1]));
				}
			}
		}
		return runs;
	}

	private static Process startDbScheduler(ClusterDatabase database, Path work, String name) throws IOException {
		List<String> command = ClusterNodes.javaCommand(work, DbSchedulerNode.class.getName());
		command.addAll(List.of(database.url(), database.username(), database.password(), name,
				Integer.toString(SLOTS), Long.toString(DB_SCHEDULER_POLL.toMillis()),
				work.resolve("db-scheduler-" + name).toString()));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		List<String> lines = new ArrayList<>();
		for (String line; (line = output.readLine()) != null;) {
			lines.add(line);
			if (line.equals("READY")) {
				Thread drain = new Thread(() -> output.lines().forEach((ignored) -> {
				}), "drain-" + name);
				drain.setDaemon(true);
				drain.start();
				return process;
			}
		}
		throw new AssertionError("db-scheduler " + name + " exited: " + String.join("\n", lines));
	}

	/** Stops the db-scheduler JVMs, before the cluster's clean-up looks for what the test left running. */
	private static void stop(List<Process> schedulers) {
		schedulers.forEach(Process::destroyForcibly);
		for (Process scheduler : schedulers) {
			try {
				scheduler.waitFor(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static HikariDataSource pool(ClusterDatabase database) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(database.url());
		config.setUsername(database.username());
		config.setPassword(database.password());
		config.setMaximumPoolSize(2);
		return new HikariDataSource(config);
	}

	private static int count(ClusterDatabase database, String sql, List<String> ids) {
		return ((Number) database.rows(sql, ids).get(0).get("n")).intValue();
	}

	private static String latencyRow(String system, List<Long> latencies) {
		List<Long> sorted = new ArrayList<>(latencies);
		sorted.sort(null);
		if (sorted.isEmpty()) {
			return "| " + system + " | 0 | - | - | - |";
		}
		return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d |", system, sorted.size(), percentile(sorted, 0.5),
				percentile(sorted, 0.99), sorted.get(sorted.size() - 1));
	}

	private static long percentile(List<Long> sorted, double fraction) {
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(fraction * sorted.size()) - 1));
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
