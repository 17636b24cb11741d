package io.execra.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.execra.Command;
import io.execra.CommandTemplate;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.FailureReason;
import io.execra.InvalidPlaceholderException;
import io.execra.InvalidSettingException;
import io.execra.Job;
import io.execra.JobHandle;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.OutputPage;
import io.execra.Stdin;
import io.execra.store.InMemoryJobStore;
import io.execra.store.JobCriteria;
import io.execra.support.TestJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runtimes in cluster mode, as several nodes in one JVM on one in-memory store, running real processes: a job
 * spawned on any node runs once on some node, limits hold across nodes, and jobs can be followed, awaited and
 * cancelled from any node; a node that loses its lease kills its jobs and its late writes lose to the rescue.
 */
class ClusterRuntimeTests {

	private static final String APPEND_SCRIPT = "echo \"$EXECRA_JOB_ID\" >> \"$1\"; sleep \"$2\"";

	private final ClusterNodes cluster = new ClusterNodes(true);

	@TempDir
	Path dir;

	@BeforeAll
	static void unixOnly() {
		assumeTrue(!System.getProperty("os.name").toLowerCase().startsWith("windows"));
	}

	@AfterEach
	void close() {
		this.cluster.close();
	}

	/** Appends the job's id to {@code file}, then sleeps. */
	private static CommandTemplate append(String name) {
		return new CommandTemplate(name, "sh", List.of("-c", APPEND_SCRIPT, "sh", "{file}", "{seconds}"), Map.of(),
				null, null, Set.of(), null, Set.of(), null);
	}

	private Map<String, String> params(Path file, String seconds) {
		return Map.of("file", file.toString(), "seconds", seconds);
	}

	private static List<String> linesOf(Path file) throws IOException {
		return Files.exists(file) ? Files.readAllLines(file) : List.of();
	}

	@Test
	void jobsSpawnedOnOneNodeRunOnceEachAcrossTheNodes() throws Exception {
		ExecraRuntime a = this.cluster.node("a", 2, Map.of(), append("append"));
		this.cluster.node("b", 2, Map.of(), append("append"));
		this.cluster.node("c", 2, Map.of(), append("append"));
		Path ran = this.dir.resolve("ran.txt");
		List<JobHandle> handles = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			handles.add(a.spawn("append", params(ran, "0.1")));
		}
		Set<String> nodes = new HashSet<>();
		for (JobHandle handle : handles) {
			assertThat(handle.await()).isInstanceOf(Outcome.Succeeded.class);
			Job job = a.job(handle.id()).orElseThrow();
			assertThat(job.state()).isEqualTo(JobState.FINALIZED);
			nodes.add(job.node());
		}
		List<String> lines = linesOf(ran);
		assertThat(lines).hasSize(30).doesNotHaveDuplicates();
		assertThat(lines).containsExactlyInAnyOrderElementsOf(handles.stream().map((h) -> h.id().toString()).toList());
		assertThat(nodes).as("nodes that ran jobs").hasSizeGreaterThan(1);
		assertThat(a.jobs().limit(100).list()).hasSize(30);
		assertThat(a.cluster().orElseThrow().nodes()).extracting(NodeInfo::id).contains("a", "b", "c");
	}

	@Test
	void aClusterLimitHoldsAcrossNodes() throws Exception {
		String script = "echo \"start $EXECRA_JOB_ID\" >> \"$1\"; sleep 0.2; echo \"end $EXECRA_JOB_ID\" >> \"$1\"";
		CommandTemplate limited = new CommandTemplate("limited", "sh", List.of("-c", script, "sh", "{file}"), Map.of(),
				null, null, Set.of("gpu"), null, Set.of(), null);
		ExecraRuntime a = this.cluster.node("a", 4, Map.of("gpu", 2), limited);
		this.cluster.node("b", 4, Map.of("gpu", 2), limited);
		Path log = this.dir.resolve("log.txt");
		List<JobHandle> handles = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			handles.add(a.spawn("limited", Map.of("file", log.toString())));
		}
		for (JobHandle handle : handles) {
			assertThat(handle.await()).isInstanceOf(Outcome.Succeeded.class);
		}
		int running = 0;
		int most = 0;
		for (String line : linesOf(log)) {
			running += line.startsWith("start") ? 1 : -1;
			most = Math.max(most, running);
		}
		assertThat(linesOf(log)).hasSize(16);
		assertThat(most).as("jobs of group gpu running at once").isEqualTo(2);
	}

	@Test
	void cancelFromAnotherNodeKillsTheProcessGroup() throws Exception {
		ExecraRuntime a = this.cluster.node("a", 2, Map.of());
		ExecraRuntime b = this.cluster.node("b", 2, Map.of());
		JobHandle onB = b.spawn(Command.of("sh", "-c", "sleep 300 & sleep 300 & wait"));
		Job running = await().atMost(Duration.ofSeconds(10))
			.until(() -> a.job(onB.id()).orElseThrow(), (job) -> job.state() == JobState.RUNNING);
		assertThat(running.node()).isEqualTo("b");
		long pid = running.pid();
		assertThat(a.cancel(onB.id())).isTrue();
		JobHandle fromA = a.handle(onB.id()).orElseThrow();
		assertThat(fromA.await()).isInstanceOf(Outcome.Cancelled.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(pid).map((p) -> !p.isAlive()).orElse(true));
		if (TestJobs.hasProcFs()) {
			await().atMost(Duration.ofSeconds(5)).until(() -> TestJobs.liveProcessesInGroup(pid).isEmpty());
		}
	}

	@Test
	void aSubscriberOnAnotherNodeFollowsTheJobFromItsFirstEventToFinalized() throws Exception {
		ExecraRuntime a = this.cluster.node("a", 2, Map.of());
		ExecraRuntime b = this.cluster.node("b", 2, Map.of());
		JobHandle onB = b.spawn(
				Command.of("sh", "-c", "for i in $(seq 1 200); do echo line $i; if [ $((i % 50)) = 0 ]; then sleep 0.05; fi; done"));
		List<Event> events = new ArrayList<>();
		try (EventStream stream = a.subscribe(onB.id())) {
			while (true) {
				Event event = stream.next(Duration.ofSeconds(30));
				assertThat(event).as("an event within 30 s after " + events.size()).isNotNull();
				events.add(event);
				if (event instanceof Event.Finalized) {
					break;
				}
			}
		}
		assertThat(events).noneMatch(Event.Lagged.class::isInstance);
		for (int i = 0; i < events.size(); i++) {
			assertThat(events.get(i).seq()).as("seq of event " + i).isEqualTo(i + 1);
		}
		assertThat(events.get(0)).isInstanceOf(Event.JobCreated.class);
		List<String> lines = TestJobs.lines(events);
		assertThat(lines).hasSize(200);
		assertThat(lines.get(199)).isEqualTo("line 200");
		assertThat(a.handle(onB.id()).orElseThrow().await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(onB.await()).isInstanceOf(Outcome.Succeeded.class);
		OutputPage page = a.output(onB.id(), 0, 1 << 20, Duration.ZERO);
		assertThat(page.chunks()).extracting(OutputPage.Chunk::line).isEqualTo(lines);
		assertThat(page.closed()).isTrue();
		OutputPage rest = a.output(onB.id(), page.nextSeq(), 1 << 20, Duration.ofSeconds(5));
		assertThat(rest.chunks()).isEmpty();
		assertThat(rest.closed()).isTrue();
	}

	@Test
	void aNodeThatLosesItsLeaseKillsItsJobsAndTheRescueStands() throws Exception {
		ExecraRuntime b = this.cluster.node("b", 2, Map.of());
		ClusterView view = b.cluster().orElseThrow();
		long epoch = view.lease().epoch();
		JobHandle onB = b.spawn(Command.of("sleep", "300"));
		Job running = await().atMost(Duration.ofSeconds(10))
			.until(() -> b.job(onB.id()).orElseThrow(), (job) -> job.state() == JobState.RUNNING);
		long pid = running.pid();

		// the database's time passes the lease: its next renewal fails, as after a long pause or a partition
		this.cluster.advanceDatabaseClock(ClusterNodes.LEASE.plusSeconds(1));

		await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map((p) -> !p.isAlive()).orElse(true));
		await().atMost(Duration.ofSeconds(10)).until(() -> view.leaseHeld() && view.lease().epoch() > epoch);
		assertThat(view.stats().leasesLost()).isGreaterThanOrEqualTo(1);
		Job rescued = await().atMost(Duration.ofSeconds(10))
			.until(() -> this.cluster.shared.find(onB.id()).orElseThrow(), Job::isFinalized);
		assertThat(rescued.outcome()).isInstanceOfSatisfying(Outcome.Failed.class,
				(failed) -> assertThat(failed.reason()).isInstanceOf(FailureReason.HostExited.class));
		// the killed job's own ending, written late by its node, does not override the rescue, even on that node
		assertThat(onB.await()).isEqualTo(rescued.outcome());
		b.jobs().count();
		Job after = this.cluster.shared.find(onB.id()).orElseThrow();
		assertThat(after.outcome()).isEqualTo(rescued.outcome());
		List<Event> stored = this.cluster.shared.events(onB.id(), 0, Integer.MAX_VALUE);
		assertThat(stored.stream().filter(Event.Finalized.class::isInstance)).hasSize(1);
	}

	@Test
	void aRestartableJobWhoseNodeLostItsLeaseRunsOnceMore() throws Exception {
		String script = "echo \"$EXECRA_JOB_ID\" >> \"$1\"; if [ -f \"$1.done\" ]; then exit 0; fi; touch \"$1.done\"; sleep 300";
		CommandTemplate once = new CommandTemplate("once", "sh", List.of("-c", script, "sh", "{file}"), Map.of(), null,
				null, Set.of(), null, Set.of(), null).withRestartable(true);
		ExecraRuntime a = this.cluster.node("a", 2, Map.of(), once);
		Path ran = this.dir.resolve("ran.txt");
		JobHandle job = a.spawn("once", Map.of("file", ran.toString()));
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(Path.of(ran + ".done")));

		this.cluster.advanceDatabaseClock(ClusterNodes.LEASE.plusSeconds(1));

		Job done = await().atMost(Duration.ofSeconds(15))
			.until(() -> this.cluster.shared.find(job.id()).orElseThrow(), Job::isFinalized);
		assertThat(done.outcome()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(linesOf(ran)).containsExactly(job.id().toString(), job.id().toString());
		List<Event> stored = this.cluster.shared.events(job.id(), 0, Integer.MAX_VALUE);
		assertThat(stored).anySatisfy((event) -> assertThat(event).isInstanceOfSatisfying(Event.WarningDetected.class,
				(warning) -> assertThat(warning.message()).contains("attempt 2")));
		List<Long> seqs = stored.stream().map(Event::seq).toList();
		assertThat(seqs).doesNotHaveDuplicates().isSorted();
		assertThat(stored.stream().filter(Event.Finalized.class::isInstance)).hasSize(1);
	}

	@Test
	void aBadPresetValueIsRefusedOnTheSpawningNodeWithNothingRecorded() {
		ExecraRuntime a = this.cluster.node("a", 2, Map.of(), append("append"));
		this.cluster.node("b", 2, Map.of(), append("append"));
		assertThatThrownBy(() -> a.spawn("append", params(this.dir.resolve("x"), "-rf")))
			.isInstanceOf(InvalidPlaceholderException.class);
		assertThatThrownBy(() -> a.spawn("append", Map.of("file", "x")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("seconds");
		assertThat(this.cluster.jobs.count(JobCriteria.all())).isZero();
	}

	@Test
	void writingToTheStdinOfAJobOnAnotherNodeFailsNamingTheJobAndItsNode() throws Exception {
		ExecraRuntime a = this.cluster.node("a", 2, Map.of());
		ExecraRuntime b = this.cluster.node("b", 2, Map.of());
		JobHandle onB = b.spawn(Command.of("cat").stdin(Stdin.pipe()));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> a.job(onB.id()).orElseThrow().state() == JobState.RUNNING);
		JobHandle fromA = a.handle(onB.id()).orElseThrow();
		assertThatThrownBy(() -> fromA.writeLine("hello"))
			.isInstanceOf(UnsupportedOperationException.class)
			.hasMessageContaining(onB.id().toString())
			.hasMessageContaining("node b")
			.hasMessageContaining("not supported across nodes");
		onB.writeLine("hello");
		onB.closeStdin();
		List<Event> events = TestJobs.allEvents(onB);
		assertThat(TestJobs.lines(events)).containsExactly("hello");
	}

	@Test
	void aHigherPriorityIsClaimedFirst() throws Exception {
		ExecraRuntime a = this.cluster.node("a", 1, Map.of());
		Path order = this.dir.resolve("order.txt");
		JobHandle busy = a.spawn(Command.of("sleep", "0.5"));
		await().atMost(Duration.ofSeconds(10)).until(() -> a.job(busy.id()).orElseThrow().state() == JobState.RUNNING);
		JobHandle low = a.spawn(Command.of("sh", "-c", "echo low >> \"$1\"", "sh", order.toString()));
		JobHandle high = a.spawn(Command.of("sh", "-c", "echo high >> \"$1\"", "sh", order.toString()).priority(5));
		assertThat(low.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(high.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(linesOf(order)).containsExactly("high", "low");
	}

	@Test
	void jobsQueuedForANodeOnlyAreCancelledWhenItShutsDown() throws Exception {
		ExecraRuntime a = this.cluster.node("a", 1, Map.of());
		ExecraRuntime b = this.cluster.node("b", 1, Map.of());
		JobHandle busy = a.spawn(Command.of("sleep", "0.3"));
		await().atMost(Duration.ofSeconds(10)).until(() -> a.job(busy.id()).orElseThrow().state() == JobState.RUNNING);
		JobHandle waiting = a.spawn(Command.of("true"));
		assertThat(b.job(waiting.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
		a.shutdown(Duration.ofSeconds(5));
		assertThat(busy.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(b.handle(waiting.id()).orElseThrow().await()).isInstanceOf(Outcome.Cancelled.class);
		assertThat(a.cluster().orElseThrow().leaseHeld()).isFalse();
		assertThat(b.cluster().orElseThrow().nodes()).filteredOn((node) -> node.id().equals("a"))
			.singleElement()
			.satisfies((node) -> assertThat(node.alive()).isFalse());
	}

	@Test
	void clusterModeNeedsASharedStore() {
		assertThatThrownBy(() -> ExecraRuntime.builder()
			.store(new InMemoryJobStore())
			.cluster(ClusterSettings.of(this.cluster.store))
			.build()).isInstanceOf(InvalidSettingException.class).hasMessageContaining("shared");
	}

	@Test
	void presetsAndCommandsCarryRestartableAndPriority() {
		Command command = Command.of("true").restartable(true).priority(5).label("x");
		assertThat(command.restartable()).isTrue();
		assertThat(command.priority()).isEqualTo(5);
		assertThat(Command.of("true").restartable()).isFalse();
		CommandTemplate template = append("append").withRestartable(true).withPriority(3);
		Command rendered = template.render(params(this.dir.resolve("f"), "1"));
		assertThat(rendered.restartable()).isTrue();
		assertThat(rendered.priority()).isEqualTo(3);
		assertThat(append("append").render(params(this.dir.resolve("f"), "1")).restartable()).isFalse();
	}

	@Test
	void aRuntimeAloneHasNoClusterView() {
		try (ExecraRuntime alone = ExecraRuntime.inMemory()) {
			assertThat(alone.cluster()).isEmpty();
		}
	}

}
