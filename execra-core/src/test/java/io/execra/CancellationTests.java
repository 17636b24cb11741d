package io.execra;

import java.time.Duration;
import java.util.List;

import io.execra.support.TestJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Cancellation and timeouts kill the job's whole process tree: children, TERM-ignoring children, double-forked
 * grandchildren — and a grandchild holding the pipes never hangs finalization.
 */
class CancellationTests {

	private static final Duration GRACE = Duration.ofMillis(1500);

	private final ExecraRuntime runtime = ExecraRuntime.builder()
		.cancelGracePeriod(GRACE)
		.drainGracePeriod(Duration.ofMillis(500))
		.build();

	@BeforeAll
	static void linuxOnly() {
		assumeTrue(TestJobs.hasProcFs(), "process groups are inspected through /proc");
	}

	@AfterEach
	void close() {
		this.runtime.close();
	}

	private long startedPid(JobHandle job) {
		await().atMost(Duration.ofSeconds(10)).until(() -> job.snapshot().pid() != null);
		return job.snapshot().pid();
	}

	private void awaitChildren(long pgid, int count) {
		await().atMost(Duration.ofSeconds(10)).until(() -> TestJobs.liveProcessesInGroup(pgid).size() >= count);
	}

	private void assertGroupDeadWithin(long pgid, Duration limit) {
		await().atMost(limit).until(() -> TestJobs.liveProcessesInGroup(pgid).isEmpty());
	}

	@Test
	void cancelKillsChildrenOfTheJob() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("sh", "-c", "sleep 300 & sleep 300 & wait"));
		long pgid = startedPid(job);
		awaitChildren(pgid, 3);
		long start = System.nanoTime();
		assertThat(job.cancel()).isTrue();
		assertThat(job.await()).isInstanceOf(Outcome.Cancelled.class);
		assertGroupDeadWithin(pgid, GRACE.plusSeconds(1));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GRACE.plusSeconds(1));
		List<String> kinds = TestJobs.kinds(TestJobs.allEvents(job));
		assertThat(kinds).containsSubsequence("job_started", "cancelled", "exited", "finalized");
		assertThat(kinds.indexOf("cancelled")).isLessThan(kinds.indexOf("exited"));
	}

	@Test
	void cancelKillsChildrenThatIgnoreTerm() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("sh", "-c", "trap '' TERM; sleep 300 & sleep 300 & wait"));
		long pgid = startedPid(job);
		awaitChildren(pgid, 3);
		long start = System.nanoTime();
		job.cancel();
		assertThat(job.await()).isInstanceOf(Outcome.Cancelled.class);
		assertGroupDeadWithin(pgid, GRACE.plusSeconds(1));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GRACE.plusSeconds(1));
	}

	@Test
	void cancelKillsDoubleForkedGrandchildrenThatStayedInTheGroup() throws Exception {
		JobHandle job = this.runtime
			.spawn(Command.of("sh", "-c", "(sleep 300 >/dev/null 2>&1 &); (trap '' TERM; sleep 301 >/dev/null 2>&1 &); sleep 300"));
		long pgid = startedPid(job);
		awaitChildren(pgid, 3);
		job.cancel();
		assertThat(job.await()).isInstanceOf(Outcome.Cancelled.class);
		assertGroupDeadWithin(pgid, GRACE.plusSeconds(1));
	}

	@Test
	void timeoutKillsTheGroupAtOnceAndFailsTheJob() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("sh", "-c", "trap '' TERM; sleep 300 & sleep 300 & wait")
			.timeout(Duration.ofMillis(700)));
		long pgid = startedPid(job);
		Outcome outcome = job.await();
		assertThat(outcome).isEqualTo(new Outcome.Failed(new FailureReason.TimedOut(Duration.ofMillis(700))));
		assertGroupDeadWithin(pgid, Duration.ofSeconds(1));
		assertThat(TestJobs.kinds(TestJobs.allEvents(job))).doesNotContain("cancelled");
	}

	@Test
	void defaultTimeoutAppliesAndMaxTimeoutCapsLongerOnes() throws Exception {
		try (ExecraRuntime capped = ExecraRuntime.builder()
			.defaultTimeout(Duration.ofMillis(300))
			.maxTimeout(Duration.ofMillis(600))
			.build()) {
			assertThat(capped.spawn(Command.of("sleep", "30")).await()).isEqualTo(
					new Outcome.Failed(new FailureReason.TimedOut(Duration.ofMillis(300))));
			assertThat(capped.spawn(Command.of("sleep", "30").timeout(Duration.ofHours(1))).await()).isEqualTo(
					new Outcome.Failed(new FailureReason.TimedOut(Duration.ofMillis(600))));
		}
	}

	@Test
	void grandchildHoldingThePipesNeitherHangsTheJobNorOutlivesIt() throws Exception {
		long start = System.nanoTime();
		JobHandle job = this.runtime.spawn(Command.of("sh", "-c", "echo started; sleep 300 & exit 0"));
		long pgid = startedPid(job);
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		assertGroupDeadWithin(pgid, Duration.ofSeconds(2));
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).containsExactly("started");
	}

	@Test
	void cancellingAQueuedJobFinalizesItWithoutStartingIt() throws Exception {
		try (ExecraRuntime single = ExecraRuntime.builder().maxConcurrent(1).build()) {
			JobHandle blocker = single.spawn(Command.of("sleep", "30"));
			JobHandle queued = single.spawn(Command.of("sleep", "30"));
			assertThat(queued.snapshot().state()).isEqualTo(JobState.QUEUED);
			assertThat(queued.cancel()).isTrue();
			assertThat(queued.await()).isInstanceOf(Outcome.Cancelled.class);
			assertThat(TestJobs.kinds(TestJobs.allEvents(queued))).containsExactly("job_created", "cancelled",
					"finalized");
			assertThat(queued.snapshot().pid()).isNull();
			assertThat(single.stats().queued()).isZero();
			blocker.cancel();
			assertThat(blocker.await()).isInstanceOf(Outcome.Cancelled.class);
		}
	}

	@Test
	void cancelTwiceEmitsOneCancelledEvent() throws Exception {
		// TERM is ignored, so the job is still running (not finalized) when cancel() is called the second time
		JobHandle job = this.runtime.spawn(Command.shell("trap '' TERM; sleep 30"));
		startedPid(job);
		assertThat(job.cancel()).isTrue();
		assertThat(job.cancel()).isTrue();
		job.await();
		assertThat(job.cancel()).isFalse();
		assertThat(TestJobs.kinds(TestJobs.allEvents(job))).containsOnlyOnce("cancelled");
	}

	@Test
	void cancelOfAnUnknownJobIsAClearError() {
		JobId unknown = JobId.generate(java.time.Clock.systemUTC());
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> this.runtime.cancel(unknown))
			.isInstanceOf(UnknownJobException.class)
			.hasMessageContaining(unknown.toString());
	}

	@Test
	void cancellingKeepsFindingsButDropsTheSummary() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("sh", "-c", "echo found; sleep 30").interpreter((line, ctx) -> {
			ctx.finding(Finding.info("seen", line.text()));
			ctx.summary("never shown");
		}));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> TestJobs.kinds(this.runtime.events(job.id(), 0, 100)).contains("finding_emitted"));
		job.cancel();
		Outcome outcome = job.await();
		assertThat(outcome).isInstanceOfSatisfying(Outcome.Cancelled.class,
				(cancelled) -> assertThat(cancelled.findings()).extracting(Finding::message).containsExactly("found"));
		assertThat(outcome.message()).isEqualTo("cancelled");
	}

	@Test
	void closingTheRuntimeKillsTermIgnoringDescendantsOnceTheGraceIsOver() throws Exception {
		ExecraRuntime closing = ExecraRuntime.builder().cancelGracePeriod(Duration.ofMillis(500)).build();
		JobHandle job = closing
			.spawn(Command.of("sh", "-c", "(trap '' TERM; exec sleep 300) >/dev/null 2>&1 & sleep 300"));
		await().atMost(Duration.ofSeconds(10)).until(() -> job.snapshot().pid() != null);
		long pgid = job.snapshot().pid();
		awaitChildren(pgid, 2);
		closing.close();
		assertThat(job.outcome()).isCompletedWithValueMatching(Outcome.Cancelled.class::isInstance);
		assertGroupDeadWithin(pgid, Duration.ofSeconds(1));
	}

	@Test
	void restartingANodeFinalizesItsStrandedJobsAndKillsWhatTheyLeftRunning() throws Exception {
		io.execra.store.InMemoryJobStore store = new io.execra.store.InMemoryJobStore();
		// the "crashed" run: its job is still running when the node comes back; a dead JVM writes nothing more
		io.execra.support.SeverableStore crashedStore = new io.execra.support.SeverableStore(store);
		ExecraRuntime crashed = ExecraRuntime.builder().store(crashedStore).nodeId("node-1").build();
		JobHandle job = crashed.spawn(Command.of("sh", "-c", "sleep 300 & wait"));
		long pgid = startedPid(job);
		awaitChildren(pgid, 2);
		crashedStore.sever();
		try (ExecraRuntime restarted = ExecraRuntime.builder().store(store).nodeId("node-1").build()) {
			assertThat(restarted.job(job.id())).get().satisfies((stored) -> {
				assertThat(stored.state()).isEqualTo(JobState.FINALIZED);
				assertThat(stored.outcome()).isInstanceOfSatisfying(Outcome.Failed.class,
						(failed) -> assertThat(failed.reason()).isInstanceOf(FailureReason.HostExited.class));
			});
			assertGroupDeadWithin(pgid, Duration.ofSeconds(2));
		}
		finally {
			crashed.close();
		}
	}

}
