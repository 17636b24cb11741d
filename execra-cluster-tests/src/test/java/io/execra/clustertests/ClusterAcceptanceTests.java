package io.execra.clustertests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.execra.clustertests.support.ClusterDatabase;
import io.execra.clustertests.support.ClusterNodes;
import io.execra.clustertests.support.JobScripts;
import io.execra.clustertests.support.Node;
import io.execra.clustertests.support.NodeSpec;
import io.execra.clustertests.support.ProcessGroups;
import io.execra.clustertests.support.Traces;
import org.jspecify.annotations.Nullable;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The acceptance of cluster mode (issue 21), end to end: application instances in child JVMs on one real
 * PostgreSQL, driven over HTTP. One cluster serves every test: nodes {@code a}, {@code b} and {@code c} share the
 * queue; node {@code d} has signals (NOTIFY) off and only presets of its own, so it never claims the shared jobs.
 * The tests that kill or freeze node {@code c} come last, and start it again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterAcceptanceTests {

	private static final int JOBS = 3000;

	/** Every tenth job is capped. */
	private static final int CAPPED_EVERY = 10;

	private static final Duration POLLING_NODE_INTERVAL = Duration.ofSeconds(1);

	/** Jobs at once per node: few, so that 3,000 short jobs do not starve the nodes' own threads on two cores. */
	private static final int CAPACITY = 8;

	/** Node c runs the 20 jobs that its kill -9 leaves behind. */
	private static final int CAPACITY_OF_C = 24;

	/** How long node c is frozen: twice its lease; jobs of 8 s end meanwhile. */
	private static final Duration FROZEN = ClusterNodes.LEASE.multipliedBy(2);

	private final long begin = System.nanoTime();

	private ClusterDatabase database;

	private Path work;

	private ClusterNodes cluster;

	@BeforeAll
	void startCluster() throws Exception {
		this.database = ClusterDatabase.create("acceptance");
		this.work = Path.of("target", "cluster-it", "acceptance-" + System.currentTimeMillis()).toAbsolutePath();
		Files.createDirectories(this.work);
		JobScripts scripts = new JobScripts(this.work);
		Map<String, String> properties = Map.of("execra.max-concurrent", Integer.toString(CAPACITY),
				"execra.queue-capacity", "10000");
		List<NodeSpec> nodes = List.of(NodeSpec.of("a"), NodeSpec.of("b"),
				new NodeSpec("c", true, Map.of("execra.max-concurrent", Integer.toString(CAPACITY_OF_C))),
				new NodeSpec("d", false, Map.of("execra.cluster.notify", "false", "execra.cluster.poll-interval",
						POLLING_NODE_INTERVAL.toMillis() + "ms")));
		this.cluster = ClusterNodes.start(this.database, this.work, scripts, properties, nodes);
	}

	/** Prints each live node's lease losses: a node that lost its lease killed its jobs, which explains failures. */
	@AfterEach
	void printLeaseLosses() {
		Map<String, String> lost = new LinkedHashMap<>();
		for (Node node : this.cluster.nodes()) {
			try {
				JsonNode description = node.isAlive() ? node.describe() : null;
				lost.put(node.nodeId(), (description != null) ? description.path("leasesLost").asString() : "down");
			}
			catch (RuntimeException ex) {
				lost.put(node.nodeId(), "no answer");
			}
		}
		System.out.println("Leases lost so far by node: " + lost);
	}

	@AfterAll
	void stopCluster() {
		try {
			if (this.cluster != null) {
				this.cluster.close();
			}
		}
		finally {
			if (this.database != null) {
				this.database.close();
			}
			System.out.printf("ClusterAcceptanceTests took %d s%n",
					TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - this.begin));
		}
	}

	/**
	 * Every node shows the whole cluster at {@code /actuator/execra/nodes}, and its health is UP.
	 */
	@Test
	@Order(0)
	void everyNodeShowsTheClusterAndIsHealthy() {
		Set<String> ids = new HashSet<>();
		this.cluster.nodes().forEach((node) -> ids.add(node.nodeId()));
		for (Node node : this.cluster.nodes()) {
			JsonNode endpoint = node.nodesEndpoint();
			assertThat(endpoint.path("cluster").asBoolean()).as("cluster mode of %s: %s", node, endpoint).isTrue();
			assertThat(endpoint.path("leaseHeld").asBoolean()).as("lease of %s: %s", node, endpoint).isTrue();
			Set<String> shown = new HashSet<>();
			for (JsonNode each : endpoint.path("nodes")) {
				String id = each.path("id").asString();
				shown.add(id);
				assertThat(each.path("alive").asBoolean()).as("%s alive, seen from %s", id, node).isTrue();
				assertThat(each.path("capacity").asInt()).as("capacity of %s", id)
					.isEqualTo(id.equals(node("c").nodeId()) ? CAPACITY_OF_C : CAPACITY);
				assertThat(each.path("self").asBoolean()).as("self of %s, seen from %s", id, node)
					.isEqualTo(id.equals(node.nodeId()));
			}
			assertThat(shown).as("/actuator/execra/nodes of %s", node).isEqualTo(ids);
			assertThat(node.health()).as("health of %s: %s", node, node.healthDetails()).isEqualTo("UP");
		}
	}

	/**
	 * Three nodes, 3,000 jobs submitted across them over HTTP, four requests at a time per node (so that spawns
	 * arriving together are queued in one transaction), each appending its id to a shared file: every id
	 * exactly once, all three ran jobs, node d (without the presets) none, and the cluster limit of 2 for the tag
	 * {@code capped} never exceeded, neither in the database's history nor in the scripts' own timing.
	 */
	@Test
	@Order(1)
	void threeThousandJobsRunOnceEachAcrossTheNodesWithinTheClusterLimit() throws Exception {
		Path idsFile = this.work.resolve("ids");
		Path cappedFile = this.work.resolve("capped");
		List<Node> shared = List.of(node("a"), node("b"), node("c"));
		List<List<Map<String, Object>>> perNode = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
		Set<String> expectedPlain = new HashSet<>();
		Set<String> expectedCapped = new HashSet<>();
		for (int i = 0; i < JOBS; i++) {
			String id = "j" + i;
			Map<String, Object> job;
			if (i % CAPPED_EVERY == 0) {
				expectedCapped.add(id);
				job = Map.of("preset", JobScripts.CAPPED, "parameters",
						Map.of("id", id, "file", cappedFile.toString(), "pause", "0.03"));
			}
			else {
				expectedPlain.add(id);
				job = Map.of("preset", JobScripts.APPEND, "parameters", Map.of("id", id, "file", idsFile.toString()));
			}
			perNode.get(i % shared.size()).add(job);
		}
		long submitStart = System.nanoTime();
		List<String> jobIds = new ArrayList<>();
		// several requests at once on each node, so that its spawns are also queued together (group commit)
		ExecutorService submitters = Executors.newFixedThreadPool(shared.size() * 4);
		try {
			List<Future<List<String>>> submitted = new ArrayList<>();
			for (int from = 0; from < JOBS / shared.size() + 1; from += 25) {
				for (int n = 0; n < shared.size(); n++) {
					Node node = shared.get(n);
					List<Map<String, Object>> jobs = perNode.get(n);
					if (from < jobs.size()) {
						List<Map<String, Object>> request = jobs.subList(from, Math.min(jobs.size(), from + 25));
						submitted.add(submitters.submit(() -> node.spawnBatch(request)));
					}
				}
			}
			for (Future<List<String>> ids : submitted) {
				jobIds.addAll(ids.get(10, TimeUnit.MINUTES));
			}
		}
		finally {
			submitters.shutdownNow();
		}
		long submitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - submitStart);
		assertThat(jobIds).hasSize(JOBS).doesNotHaveDuplicates();
		await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(1)).until(() -> ((Number) this.database
			.rows("select count(*) as n from execra_job where state = 'FINALIZED' and id::text = any(?)", jobIds)
			.get(0)
			.get("n")).intValue() == JOBS);
		long allMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - submitStart);

		List<Map<String, @Nullable Object>> rows = this.database.rows(
				"select node, outcome_kind, count(*) as n from execra_job where id::text = any(?) group by node, outcome_kind",
				jobIds);
		Map<String, Integer> perNodeRan = new LinkedHashMap<>();
		Map<String, Integer> outcomes = new LinkedHashMap<>();
		for (Map<String, @Nullable Object> row : rows) {
			int n = ((Number) row.get("n")).intValue();
			perNodeRan.merge(String.valueOf(row.get("node")), n, Integer::sum);
			outcomes.merge(String.valueOf(row.get("outcome_kind")), n, Integer::sum);
		}
		System.out.printf("%d jobs: submitted over HTTP in %d ms, all finalized after %d ms (%.0f jobs/s); by node %s;"
				+ " outcomes %s%n", JOBS, submitMillis, allMillis, JOBS * 1000.0 / allMillis, perNodeRan, outcomes);
		// a job's created event is inserted in the transaction that queues it, and never updated: its xmin names it
		int enqueueTransactions = ((Number) this.database.rows("select count(distinct xmin::text) as n from"
				+ " execra_event where seq = 1 and job_id::text = any(?)", jobIds).get(0).get("n")).intValue();
		System.out.printf("%d jobs queued in %d transactions%n", JOBS, enqueueTransactions);
		for (Map<String, @Nullable Object> failed : this.database.rows("select id, node, outcome from execra_job"
				+ " where outcome_kind <> 'succeeded' and id::text = any(?) limit 5", jobIds)) {
			System.out.println("Not succeeded: " + failed);
		}

		List<Traces.Interval> history = new ArrayList<>();
		for (Map<String, @Nullable Object> row : this.database.rows("select j.id, j.started_at, j.finished_at from "
				+ "execra_job j join execra_job_tag t on t.job_id = j.id where t.tag = ? and j.id::text = any(?)"
				+ " and j.started_at is not null", JobScripts.CAPPED_TAG, jobIds)) {
			history.add(new Traces.Interval(String.valueOf(row.get("id")), ((Number) row.get("started_at")).longValue(),
					((Number) row.get("finished_at")).longValue()));
		}
		Traces.Overlap stored = Traces.maxOverlap(history);
		Traces.Overlap measured = Traces.maxOverlap(Traces.cappedIntervals(cappedFile));
		System.out.printf("Capped jobs (limit %d): at most %d at once in the database's history (started..finished),"
				+ " %d by the scripts' own clocks%n", JobScripts.CAP, stored.max(), measured.max());
		Map<String, Integer> plain = Traces.idCounts(idsFile);
		Map<String, Integer> capped = Traces.idCounts(cappedFile);

		SoftAssertions softly = new SoftAssertions();
		// safety first: nothing ran twice, the limit held
		softly.assertThat(plain).as("ids appended more than once").allSatisfy((id, count) -> assertThat(count).isOne());
		softly.assertThat(capped).as("capped ids appended more than once")
			.allSatisfy((id, count) -> assertThat(count).isOne());
		softly.assertThat(stored.max()).as("capped jobs at once in the history, at %d", stored.at())
			.isLessThanOrEqualTo(JobScripts.CAP);
		softly.assertThat(measured.max()).as("capped scripts at once, at %d ns", measured.at())
			.isLessThanOrEqualTo(JobScripts.CAP);
		// then that everything ran, and everywhere it could
		softly.assertThat(outcomes).as("outcomes").containsExactly(Map.entry("succeeded", JOBS));
		softly.assertThat(enqueueTransactions).as("transactions that queued the jobs").isBetween(1, JOBS - 1);
		softly.assertThat(plain.keySet()).as("ids appended by the plain jobs").isEqualTo(expectedPlain);
		softly.assertThat(capped.keySet()).as("ids appended by the capped jobs").isEqualTo(expectedCapped);
		softly.assertThat(perNodeRan).as("jobs by node: all three shared nodes ran some, d (without the presets) none")
			.containsOnlyKeys(node("a").nodeId(), node("b").nodeId(), node("c").nodeId())
			.allSatisfy((nodeId, n) -> assertThat(n).as(nodeId).isPositive());
		softly.assertThat(stored.max()).as("the capped jobs ran two at a time at least once").isEqualTo(JobScripts.CAP);
		softly.assertAll();
	}

	/**
	 * A subscriber on node a follows a job running on node b from its first event to {@code finalized}: the same
	 * contiguous seqs as b's own subscriber sees, and each event relayed within 100 ms at the 99th percentile (from
	 * the event's time on b to its receipt on a).
	 */
	@Test
	@Order(2)
	void aSubscriberOnOneNodeFollowsAJobOnAnotherWithContiguousSeqAndLowLatency() throws Exception {
		Node a = node("a");
		Node b = node("b");
		String id = b.spawn(JobScripts.progress("b"), Map.of("count", "150", "pause", "0.02"));
		CompletableFuture<List<JsonNode>> relayed = a.follow(id);
		CompletableFuture<List<JsonNode>> local = b.follow(id);
		List<JsonNode> onA = relayed.get(2, TimeUnit.MINUTES);
		List<JsonNode> onB = local.get(2, TimeUnit.MINUTES);

		List<Long> seqsOnA = onA.stream().map((event) -> event.path("seq").asLong()).toList();
		List<Long> seqsOnB = onB.stream().map((event) -> event.path("seq").asLong()).toList();
		assertThat(onA.get(onA.size() - 1).path("kind").asString()).as("last event relayed to a").isEqualTo("finalized");
		assertThat(onA).as("events on a").noneMatch((event) -> event.path("kind").asString().equals("lagged"));
		List<Long> contiguous = new ArrayList<>();
		for (long seq = 1; seq <= seqsOnA.size(); seq++) {
			contiguous.add(seq);
		}
		assertThat(seqsOnA).as("seqs relayed to a").isEqualTo(contiguous);
		assertThat(seqsOnA).as("seqs on a and on b, where the job runs").isEqualTo(seqsOnB);

		// live: what happened after a's subscription delivered its first (replayed) event
		long subscribedAt = onA.get(0).path("receivedAt").asLong();
		List<Long> latencies = new ArrayList<>();
		for (JsonNode event : onA) {
			long at = event.path("at").asLong();
			if (at > subscribedAt) {
				latencies.add(event.path("receivedAt").asLong() - at);
			}
		}
		latencies.sort(null);
		assertThat(latencies).as("events that happened after a subscribed").hasSizeGreaterThanOrEqualTo(100);
		long p50 = percentile(latencies, 0.50);
		long p99 = percentile(latencies, 0.99);
		System.out.printf("Relay b -> a: %d events (%d live), latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms,"
				+ " max %.1f ms%n", onA.size(), latencies.size(), p50 / 1000.0, percentile(latencies, 0.90) / 1000.0,
				p99 / 1000.0, latencies.get(latencies.size() - 1) / 1000.0);
		assertThat(p99).as("p99 relay latency (µs); node GC pauses of 20 ms or more: %s",
				this.cluster.gcPausesOver(Duration.ofMillis(20)))
			.isLessThanOrEqualTo(100_000);
	}

	/**
	 * Cancel from node b of a job running on node c: its process group is dead within 1 s (c is told by NOTIFY).
	 */
	@Test
	@Order(3)
	void cancelFromAnotherNodeKillsTheProcessGroupWithinOneSecond() {
		List<Long> millis = cancelAcross(node("b"), node("c"), 5);
		assertThat(millis).as("ms from cancel on b to the death of the process group on c")
			.allSatisfy((ms) -> assertThat(ms).isLessThanOrEqualTo(1000));
	}

	/**
	 * Cancel from node a of a job running on node d, whose signals (NOTIFY) are off: its process group is dead
	 * within one poll interval (d polls for cancel requests every second); a quarter second more for the kill itself.
	 */
	@Test
	@Order(4)
	void cancelWithoutNotifyKillsTheProcessGroupWithinOnePollInterval() {
		List<Long> millis = cancelAcross(node("a"), node("d"), 5);
		assertThat(millis).as("ms from cancel on a to the death of the process group on d (poll interval %s)",
				POLLING_NODE_INTERVAL)
			.allSatisfy((ms) -> assertThat(ms).isLessThanOrEqualTo(POLLING_NODE_INTERVAL.toMillis() + 250));
	}

	private List<Long> cancelAcross(Node from, Node owner, int times) {
		Path dir = this.work.resolve("cancel-" + owner.name());
		createDirectories(dir);
		List<Long> millis = new ArrayList<>();
		for (int i = 0; i < times; i++) {
			String id = owner.spawn(JobScripts.sleep(owner.name()),
					Map.of("id", "c" + i, "dir", dir.toString(), "seconds", "60"));
			JsonNode running = awaitJob(from, id, (job) -> job.path("state").asString().equals("RUNNING")
					&& job.path("pid").isNumber());
			assertThat(running.path("node").asString()).as("the job's node").isEqualTo(owner.nodeId());
			long group = running.path("pid").asLong();
			// the script and its sleep: no other process joins the group
			await().atMost(Duration.ofSeconds(10)).until(() -> ProcessGroups.members(group).size() == 2);
			Set<Long> members = ProcessGroups.members(group);
			long start = System.nanoTime();
			assertThat(from.cancel(id)).as("cancel of %s from %s accepted", id, from).isTrue();
			while (ProcessGroups.anyAlive(members)) {
				if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(20)) {
					throw new AssertionError("Process group " + group + " of job " + id + " still alive 20 s after "
							+ "the cancel; " + owner + " log:\n" + owner.logTail(40));
				}
				sleepNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
			millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
			JsonNode cancelled = awaitJob(from, id, (job) -> job.path("state").asString().equals("FINALIZED"));
			assertThat(cancelled.path("outcome").asString()).as("outcome of %s", id).isEqualTo("cancelled");
		}
		System.out.printf("Cancel from %s of a job on %s: process group dead after %s ms%n", from.nodeId(),
				owner.nodeId(), millis);
		return millis;
	}

	/**
	 * {@code kill -9} of node c with 20 running jobs: within lease + one heartbeat none is left running; the 10
	 * plain ones are {@code Failed(HostExited)}, the 10 restartable ones queued again; c, started again, kills the
	 * process groups its jobs left and runs the restartable ones a second time (only c has their preset), never
	 * while their first run is alive.
	 */
	@Test
	@Order(5)
	void killMinusNineOfANodeRescuesItsJobsAndItKillsTheirLeftoversWhenItRestarts() {
		Node a = node("a");
		Node c = node("c");
		Path dir = this.work.resolve("kill");
		createDirectories(dir);
		List<String> plain = new ArrayList<>();
		List<String> restartable = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			plain.add(c.spawn(JobScripts.sleep("c"), Map.of("id", "p" + i, "dir", dir.toString(), "seconds", "120")));
			restartable.add(c.spawn(JobScripts.restartableSleep("c"),
					Map.of("id", "r" + i, "dir", dir.toString(), "seconds", "120")));
		}
		List<String> all = new ArrayList<>(plain);
		all.addAll(restartable);
		Map<String, Long> groups = awaitRunning(a, all);

		long killedAt = System.nanoTime();
		c.kill();
		Duration bound = ClusterNodes.LEASE.plus(ClusterNodes.HEARTBEAT);
		await().atMost(bound.plusSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> runningOrExited(all) == 0);
		long rescuedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
		Set<Long> leftAlive = ProcessGroups.alive(groups.values());
		System.out.printf("kill -9 of %s with 20 running jobs: none running after %d ms (lease + heartbeat = %d ms);"
				+ " %d of their process groups still alive%n", c, rescuedMillis, bound.toMillis(), leftAlive.size());
		assertThat(rescuedMillis).as("ms from kill -9 until none of its jobs is running")
			.isLessThanOrEqualTo(bound.toMillis() + 500);
		for (String id : plain) {
			JsonNode job = a.job(id);
			assertThat(job.path("state").asString()).as("state of plain job %s", id).isEqualTo("FINALIZED");
			assertThat(job.path("reason").asString()).as("failure of plain job %s", id).isEqualTo("HostExited");
		}
		for (String id : restartable) {
			assertThat(a.job(id).path("state").asString()).as("state of restartable job %s (queued again, only c may"
					+ " run it)", id).isEqualTo("QUEUED");
		}
		assertThat(this.database.rows("select id from execra_job where state in ('RUNNING', 'EXITED') and"
				+ " id::text = any(?)", all)).as("jobs of c left running in the database").isEmpty();

		NoDoubleRun watch = new NoDoubleRun(dir, groups);
		this.cluster.restart(c);
		long readyAt = System.nanoTime();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			watch.check();
			assertThat(ProcessGroups.alive(groups.values())).as("process groups left by the killed c").isEmpty();
		});
		System.out.printf("Restarted %s killed the process groups left by its previous run %d ms after it was ready%n",
				c, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readyAt));
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			watch.check();
			assertThat(Traces.runs(dir)).as("runs of the restartable jobs")
				.allSatisfy((id, runs) -> assertThat(runs).hasSize(id.startsWith("r") ? 2 : 1));
		});
		for (String id : restartable) {
			JsonNode job = awaitJob(a, id, (snapshot) -> snapshot.path("state").asString().equals("RUNNING"));
			assertThat(job.path("node").asString()).isEqualTo(c.nodeId());
			a.cancel(id);
		}
		for (String id : restartable) {
			awaitJob(a, id, (job) -> job.path("state").asString().equals("FINALIZED"));
		}
		watch.check();
	}

	/**
	 * {@code SIGSTOP} of node c for twice its lease, then {@code SIGCONT}: the other nodes rescue its jobs; once it
	 * runs again it kills their processes (also of jobs whose processes ended while it was frozen), writes nothing
	 * over the rescue, joins again with a new epoch and health UP; no job runs twice at once, and only the restartable
	 * ones run a second time.
	 */
	@Test
	@Order(6)
	void aNodeFrozenLongerThanItsLeaseKillsItsProcessesWritesNothingAndRejoinsWithANewEpoch() {
		Node a = node("a");
		Node c = node("c");
		if (!c.isAlive()) {
			// the test before failed before it started c again
			this.cluster.restart(c);
		}
		Path dir = this.work.resolve("stop");
		createDirectories(dir);
		List<String> plain = new ArrayList<>();
		List<String> restartable = new ArrayList<>();
		List<String> endingWhileFrozen = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			plain.add(c.spawn(JobScripts.sleep("c"), Map.of("id", "p" + i, "dir", dir.toString(), "seconds", "120")));
			endingWhileFrozen.add(c.spawn(JobScripts.sleep("c"),
					Map.of("id", "e" + i, "dir", dir.toString(), "seconds", "8")));
			restartable.add(c.spawn(JobScripts.restartableSleep("c"),
					Map.of("id", "r" + i, "dir", dir.toString(), "seconds", "120")));
		}
		List<String> notRestartable = new ArrayList<>(plain);
		notRestartable.addAll(endingWhileFrozen);
		List<String> all = new ArrayList<>(notRestartable);
		all.addAll(restartable);
		Map<String, Long> groups = awaitRunning(a, all);
		long epochBefore = c.describe().path("epoch").asLong();

		c.pause();
		long pausedAt = System.nanoTime();
		Set<Long> aliveAtPause = ProcessGroups.alive(groups.values());
		try {
			Duration bound = ClusterNodes.LEASE.plus(ClusterNodes.HEARTBEAT);
			await().atMost(bound.plusSeconds(20)).pollInterval(Duration.ofMillis(50))
				.until(() -> runningOrExited(all) == 0);
			System.out.printf("SIGSTOP of %s: its jobs rescued after %d ms%n", c,
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt));
			long frozenFor = FROZEN.toNanos() - (System.nanoTime() - pausedAt);
			if (frozenFor > 0) {
				sleepNanos(frozenFor);
			}
		}
		finally {
			c.resume();
		}
		long resumedAt = System.nanoTime();
		NoDoubleRun watch = new NoDoubleRun(dir, groups);
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			watch.check();
			assertThat(ProcessGroups.alive(groups.values())).as("process groups of the frozen node's jobs").isEmpty();
		});
		long deadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumedAt);
		ClusterNodes.awaitReady(c);
		JsonNode rejoined = c.describe();
		System.out.printf("SIGCONT of %s: its process groups dead after %d ms; epoch %d -> %d; %s%n", c, deadMillis,
				epochBefore, rejoined.path("epoch").asLong(), rejoined);
		assertThat(rejoined.path("epoch").asLong()).as("epoch after rejoining").isGreaterThan(epochBefore);
		JsonNode seenFromA = null;
		for (JsonNode each : a.nodesEndpoint().path("nodes")) {
			if (each.path("id").asString().equals(c.nodeId())) {
				seenFromA = each;
			}
		}
		assertThat(seenFromA).as("node c on a's /actuator/execra/nodes").isNotNull();
		assertThat(seenFromA.path("alive").asBoolean()).as("c alive, seen from a: %s", seenFromA).isTrue();
		assertThat(seenFromA.path("epoch").asLong()).as("c's epoch, seen from a").isEqualTo(rejoined.path("epoch").asLong());
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(c.health()).as("health of c").isEqualTo("UP"));

		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			watch.check();
			assertThat(Traces.runs(dir)).as("runs").allSatisfy((id, runs) -> assertThat(runs).hasSize(id.startsWith("r") ? 2 : 1));
		});
		// what c might still write late has had its chance by now
		sleepNanos(TimeUnit.SECONDS.toNanos(2));
		for (String id : notRestartable) {
			JsonNode job = a.job(id);
			assertThat(job.path("state").asString()).as("state of %s", id).isEqualTo("FINALIZED");
			if (aliveAtPause.contains(groups.get(id))) {
				assertThat(job.path("reason").asString()).as("the rescue's outcome of %s stands", id)
					.isEqualTo("HostExited");
			}
			else {
				System.out.printf("Job %s had ended before the SIGSTOP: %s%n", id, job);
			}
		}
		assertThat(this.database.rows("select job_id, count(*) as n from execra_event where kind = 'finalized' and"
				+ " job_id::text = any(?) group by job_id having count(*) <> 1", notRestartable))
			.as("jobs with other than one finalized event")
			.isEmpty();
		for (String id : restartable) {
			JsonNode job = awaitJob(a, id, (snapshot) -> snapshot.path("state").asString().equals("RUNNING"));
			assertThat(job.path("node").asString()).isEqualTo(c.nodeId());
			a.cancel(id);
		}
		for (String id : restartable) {
			awaitJob(a, id, (job) -> job.path("state").asString().equals("FINALIZED"));
		}
		watch.check();
	}

	private Map<String, Long> awaitRunning(Node via, List<String> ids) {
		Map<String, Long> groups = new LinkedHashMap<>();
		for (String id : ids) {
			JsonNode job = awaitJob(via, id, (snapshot) -> snapshot.path("state").asString().equals("RUNNING")
					&& snapshot.path("pid").isNumber());
			groups.put(id, job.path("pid").asLong());
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> ProcessGroups.alive(groups.values()).size() == ids.size());
		return groups;
	}

	/** How many of these jobs the database shows running (or exited, not yet finalized): one query, so 50 ms polls. */
	private int runningOrExited(List<String> ids) {
		return ((Number) this.database
			.rows("select count(*) as n from execra_job where state in ('RUNNING', 'EXITED') and id::text = any(?)", ids)
			.get(0)
			.get("n")).intValue();
	}

	private static JsonNode awaitJob(Node via, String id, Predicate<JsonNode> condition) {
		JsonNode[] found = new JsonNode[1];
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
			JsonNode job = via.job(id);
			found[0] = job;
			if (job != null && !condition.test(job) && job.path("state").asString().equals("FINALIZED")) {
				// finalized is final: waiting longer cannot help
				throw new AssertionError("Job " + id + " ended before it got there: " + job);
			}
			return job != null && condition.test(job);
		});
		return found[0];
	}

	private static void createDirectories(Path dir) {
		try {
			Files.createDirectories(dir);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static void sleepNanos(long nanos) {
		try {
			TimeUnit.NANOSECONDS.sleep(nanos);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Node node(String name) {
		return this.cluster.node(name);
	}

	private static long percentile(List<Long> sorted, double fraction) {
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(fraction * sorted.size()) - 1));
	}

	/**
	 * Checks, each time it is called, that no restartable job (script id {@code r...}) has a second run while its
	 * first run's process group is still alive, nor a third run, and that no other job has a second run at all.
	 */
	private static final class NoDoubleRun {

		private final Path dir;

		private final Map<String, Long> firstGroups;

		NoDoubleRun(Path dir, Map<String, Long> firstGroups) {
			this.dir = dir;
			this.firstGroups = firstGroups;
		}

		void check() {
			Map<String, List<Long>> runs = Traces.runs(this.dir);
			Set<Long> firstAlive = ProcessGroups.alive(this.firstGroups.values());
			runs.forEach((scriptId, groups) -> {
				assertThat(groups).as("runs of %s", scriptId).hasSizeLessThanOrEqualTo(scriptId.startsWith("r") ? 2 : 1);
				if (groups.size() == 2) {
					assertThat(firstAlive).as("first run of %s alive while its second runs", scriptId)
						.doesNotContain(groups.get(0));
				}
			});
		}

	}

}
