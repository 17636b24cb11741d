package io.execra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.execra.interpret.Interpreter;
import io.execra.interpret.InterpreterContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The concurrency limit and the FIFO queue.
 */
class ConcurrencyTests {

	@Test
	void neverMoreThanMaxConcurrentJobsRunAndAllFinish() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().maxConcurrent(2).build();
				EventStream events = runtime.subscribe()) {
			List<JobHandle> jobs = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				jobs.add(runtime.spawn(Command.of("sleep", "0.2").label("job " + i)));
			}
			RuntimeStats stats = runtime.stats();
			assertThat(stats.running()).isEqualTo(2);
			assertThat(stats.queued()).isEqualTo(8);
			// processes alive at once, from the events in the order they happened
			int alive = 0;
			int peak = 0;
			int finalized = 0;
			while (finalized < 10) {
				Event event = events.next(Duration.ofSeconds(10));
				assertThat(event).isNotNull();
				if (event instanceof Event.JobStarted) {
					peak = Math.max(peak, ++alive);
				}
				else if (event instanceof Event.Exited) {
					alive--;
				}
				else if (event instanceof Event.Finalized) {
					finalized++;
				}
			}
			assertThat(peak).isEqualTo(2);
			List<java.time.Instant> starts = new ArrayList<>();
			for (JobHandle job : jobs) {
				assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
				starts.add(job.snapshot().startedAt());
			}
			// FIFO: job i+2 needs a permit freed by job i or i+1, so it cannot start before job i
			for (int i = 0; i + 2 < starts.size(); i++) {
				assertThat(starts.get(i + 2)).as("start of job %d", i + 2).isAfter(starts.get(i));
			}
			assertThat(runtime.stats().running()).isZero();
		}
	}

	@Test
	void spawnBeyondTheQueueCapacityIsRejectedNamingTheLimit() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().maxConcurrent(1).queueCapacity(1).build()) {
			JobHandle running = runtime.spawn(Command.of("sleep", "30"));
			JobHandle queued = runtime.spawn(Command.of("sleep", "30"));
			assertThatThrownBy(() -> runtime.spawn(Command.of("sleep", "30").label("third")))
				.isInstanceOf(JobRejectedException.class)
				.hasMessageContaining("queue is full")
				.hasMessageContaining("queue-capacity 1")
				.hasMessageContaining("max-concurrent 1");
			assertThat(runtime.recent(10)).hasSize(2);
			queued.cancel();
			running.cancel();
			assertThat(running.await()).isInstanceOf(Outcome.Cancelled.class);
			// the runtime keeps serving once there is room again
			assertThat(runtime.spawn(Command.of("true")).await()).isInstanceOf(Outcome.Succeeded.class);
		}
	}

	@Test
	void spawnAfterShutdownIsRejected() throws Exception {
		ExecraRuntime runtime = ExecraRuntime.inMemory();
		runtime.shutdown(Duration.ofSeconds(1));
		assertThatThrownBy(() -> runtime.spawn(Command.of("true"))).isInstanceOf(JobRejectedException.class)
			.hasMessageContaining("shutting down");
	}

	@Test
	void shutdownLetsRunningJobsFinishThenCancelsTheRest() throws Exception {
		ExecraRuntime runtime = ExecraRuntime.builder().cancelGracePeriod(Duration.ofMillis(200)).build();
		JobHandle quick = runtime.spawn(Command.of("sleep", "0.2"));
		JobHandle slow = runtime.spawn(Command.of("sleep", "30"));
		runtime.shutdown(Duration.ofSeconds(1));
		assertThat(quick.outcome()).isCompletedWithValueMatching(Outcome::isSuccess);
		assertThat(slow.outcome()).isCompletedWithValueMatching(Outcome.Cancelled.class::isInstance);
		assertThat(runtime.jobs().state(JobState.QUEUED, JobState.RUNNING, JobState.EXITED).count()).isZero();
	}


	@Test
	void closedRuntimesLeaveNoThreadsBehind() throws Exception {
		// threads other tests' runtimes left (still open, or closing) are not this test's
		java.util.Set<Thread> before = java.util.Set.copyOf(Thread.getAllStackTraces().keySet());
		runAndClose(20);
		// the scheduler ends once delayed tasks of the last jobs ran (the drain grace, 2 s), job threads at once
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(
				() -> assertThat(execraThreadsNotIn(before)).as("execra threads still alive").isEmpty());
	}

	@Test
	void idleJobThreadsEndWhenTheRuntimeCloses() throws Exception {
		List<Thread> pumps = new ArrayList<>();
		try (ExecraRuntime runtime = ExecraRuntime.builder().virtualThreads(false).build()) {
			for (int i = 0; i < 3; i++) {
				runtime.spawn(Command.of("echo", "line").interpreter(() -> new Interpreter() {
					@Override
					public void onLine(io.execra.interpret.Line line, InterpreterContext context) {
						synchronized (pumps) {
							pumps.add(Thread.currentThread());
						}
					}
				})).await();
			}
		}
		assertThat(pumps).hasSize(3);
		// pooled, they would stay alive for 30 s; the event loop's first thread serves every runtime of the JVM
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(
				() -> assertThat(pumps)
					.noneMatch((pump) -> pump.isAlive() && !pump.getName().equals("execra-event-loop")));
	}

	private static void runAndClose(int runtimes) throws InterruptedException {
		for (int i = 0; i < runtimes; i++) {
			try (ExecraRuntime runtime = ExecraRuntime.inMemory()) {
				JobHandle done = runtime.spawn(Command.of("true"));
				JobHandle cancelled = runtime.spawn(Command.of("sleep", "30"));
				done.await();
				cancelled.cancel();
				cancelled.await();
			}
		}
	}

	/**
	 * Live threads of execra's own that were not in {@code before}, with their stacks, but the process reaper and
	 * the event loop: one per JVM, serving every runtime (the JDK's own "process reaper" likewise stays).
	 */
	private static List<String> execraThreadsNotIn(java.util.Set<Thread> before) {
		return Thread.getAllStackTraces()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().isAlive() && !before.contains(entry.getKey()))
			.filter((entry) -> entry.getKey().getName().startsWith("execra-")
					&& !entry.getKey().getName().startsWith("execra-process-reaper")
					&& !entry.getKey().getName().equals("execra-event-loop"))
			.map((entry) -> entry.getKey().getName() + " at " + java.util.Arrays.toString(entry.getValue()))
			.toList();
	}

}
