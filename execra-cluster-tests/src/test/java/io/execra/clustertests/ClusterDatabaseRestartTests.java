package io.execra.clustertests;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.execra.clustertests.support.ClusterDatabase;
import io.execra.clustertests.support.ClusterNodes;
import io.execra.clustertests.support.JobScripts;
import io.execra.clustertests.support.Node;
import io.execra.clustertests.support.NodeSpec;
import io.execra.clustertests.support.Traces;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local PostgreSQL restarted under a running cluster: nothing lost, no job run twice, every node healthy again.
 * Restarts a shared service, so it runs only when {@code EXECRA_TEST_DB_OUTAGE=true} (CI sets it), as the JPA
 * store's outage test; it always starts PostgreSQL again.
 */
@EnabledIfEnvironmentVariable(named = "EXECRA_TEST_DB_OUTAGE", matches = "true")
class ClusterDatabaseRestartTests {

	private static final int JOBS = 600;

	/**
	 * Seconds each job runs: 600 jobs on 24 slots take about 25 s, so that PostgreSQL restarts while jobs are still
	 * claimed, written and queued, not once most of them are done.
	 */
	private static final String PAUSE = "1";

	/**
	 * Longer than a restart of PostgreSQL takes here (1-3 s), so that the nodes keep their leases: the restart is an
	 * outage to ride out, not the death of every node.
	 */
	private static final Duration LEASE = Duration.ofSeconds(15);

	@Test
	void postgresqlRestartedUnderTheClusterLosesNothingRunsNothingTwiceAndHealthRecovers() throws Exception {
		long begin = System.nanoTime();
		try (ClusterDatabase database = ClusterDatabase.create("restart")) {
			assertThat(database.isLocal()).as("a restart needs the local PostgreSQL (EXECRA_TEST_POSTGRES_URL)").isTrue();
			Path work = Path.of("target", "cluster-it", "restart-" + System.currentTimeMillis()).toAbsolutePath();
			Files.createDirectories(work);
			JobScripts scripts = new JobScripts(work);
			Map<String, String> properties = Map.of("execra.max-concurrent", "8", "execra.queue-capacity", "10000",
					"execra.cluster.lease", LEASE.toMillis() + "ms", "execra.cluster.heartbeat-interval", "2s",
					"spring.datasource.hikari.connection-timeout", "1000",
					"spring.datasource.hikari.validation-timeout", "500");
			try (ClusterNodes cluster = ClusterNodes.start(database, work, scripts, properties,
					List.of(NodeSpec.of("a"), NodeSpec.of("b"), NodeSpec.of("c")))) {
				Path file = work.resolve("ids");
				Set<String> expected = new HashSet<>();
				List<String> jobIds = new ArrayList<>();
				List<Node> nodes = cluster.nodes();
				for (int n = 0; n < nodes.size(); n++) {
					List<Map<String, Object>> batch = new ArrayList<>();
					for (int i = n; i < JOBS; i += nodes.size()) {
						expected.add("j" + i);
						batch.add(Map.of("preset", JobScripts.PACED, "parameters",
								Map.of("id", "j" + i, "file", file.toString(), "pause", PAUSE)));
					}
					jobIds.addAll(nodes.get(n).spawnBatch(batch));
				}
				await().atMost(Duration.ofSeconds(60)).until(() -> Traces.idCounts(file).size() >= JOBS / 10);
				long restartedAt = System.nanoTime();
				restartPostgresql();
				System.out.printf("PostgreSQL restarted in %d ms with %d of %d jobs done%n",
						TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt), Traces.idCounts(file).size(),
						JOBS);

				try {
					await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
						.until(() -> finalizedCount(database, jobIds) == JOBS);
				}
				catch (ConditionTimeoutException ex) {
					printWhatIsStuck(database, jobIds, nodes, work);
					throw ex;
				}
				System.out.printf("All %d jobs finalized %d ms after the restart began%n", JOBS,
						TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt));
				Map<String, Integer> outcomes = new LinkedHashMap<>();
				for (Map<String, @Nullable Object> row : database.rows("select outcome_kind, count(*) as n from"
						+ " execra_job where id::text = any(?) group by outcome_kind", jobIds)) {
					outcomes.put(String.valueOf(row.get("outcome_kind")), ((Number) row.get("n")).intValue());
				}
				assertThat(outcomes).as("outcomes").containsExactly(Map.entry("succeeded", JOBS));
				Map<String, Integer> ran = Traces.idCounts(file);
				assertThat(ran.keySet()).as("ids appended").isEqualTo(expected);
				assertThat(ran).as("ids appended more than once").allSatisfy((id, count) -> assertThat(count).isOne());
				for (Node node : nodes) {
					await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
						.untilAsserted(() -> assertThat(node.health()).as("health of %s", node).isEqualTo("UP"));
				}
				System.out.printf("Health UP on every node %d ms after the restart began%n",
						TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt));
			}
		}
		finally {
			System.out.printf("ClusterDatabaseRestartTests took %d s%n",
					TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin));
		}
	}

	/** The jobs not finalized, as the tables see them, and each node's threads and log, saved beside its log. */
	private static void printWhatIsStuck(ClusterDatabase database, List<String> jobIds, List<Node> nodes, Path work)
			throws IOException {
		System.out.println("Jobs not finalized: " + database.rows("select j.id, j.state, j.node, c.status,"
				+ " c.owner_node, c.owner_epoch, c.attempt from execra_job j left join execra_cluster_job c on"
				+ " c.job_id = j.id::text where j.state <> 'FINALIZED' and j.id::text = any(?)", jobIds));
		for (Node node : nodes) {
			Path dump = work.resolve(node.name() + "-threads.txt");
			Files.writeString(dump, node.threadDump());
			System.out.printf("Node %s: threads in %s; log %s ends:%n%s%n", node, dump, node.log(),
					node.logTail(40));
		}
	}

	private static int finalizedCount(ClusterDatabase database, List<String> ids) {
		return ((Number) database
			.rows("select count(*) as n from execra_job where state = 'FINALIZED' and id::text = any(?)", ids)
			.get(0)
			.get("n")).intValue();
	}

	/** {@code pg_ctlcluster --skip-systemctl-redirect <version> main restart}. */
	private static void restartPostgresql() throws IOException, InterruptedException {
		String[] versions = new File("/etc/postgresql").list();
		assertThat(versions).as("PostgreSQL clusters in /etc/postgresql").isNotNull().hasSize(1);
		Process process = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main",
				"restart")
			.redirectErrorStream(true)
			.start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("pg_ctlcluster restart finished").isTrue();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.exitValue()).as("pg_ctlcluster restart: %s", output).isZero();
	}

}
