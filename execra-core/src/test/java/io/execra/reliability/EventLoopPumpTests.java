package io.execra.reliability;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.execra.Command;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.internal.job.RuntimeInternals;
import io.execra.interpret.Interpreter;
import io.execra.interpret.InterpreterContext;
import io.execra.interpret.Line;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The event-loop pump: many running jobs hold a few threads, not three each, and a flood of output from some jobs
 * does not hold back the lines of another. The fairness test runs under either pump.
 */
class EventLoopPumpTests {

	private static final int JOBS = 1_000;

	private static final int CORES = Runtime.getRuntime().availableProcessors();

	private ExecraRuntime runtime;

	@AfterEach
	void close() {
		if (this.runtime != null) {
			this.runtime.close();
		}
	}

	@Test
	void aThousandRunningJobsHoldAFewThreads() throws Exception {
		this.runtime = ExecraRuntime.builder()
			.maxConcurrent(JOBS)
			.queueCapacity(JOBS)
			.cancelGracePeriod(Duration.ofSeconds(1))
			.build();
		assumeTrue(RuntimeInternals.pump(this.runtime).equals("event_loop"), "the event loop pumps here");
		// the runtime's own threads (scheduler, store writer, the loop and a worker) exist before the count
		Serving.assertStillServing(this.runtime);
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		AtomicInteger peak = new AtomicInteger();
		AtomicBoolean sampling = new AtomicBoolean(true);
		Thread sampler = new Thread(() -> {
			while (sampling.get()) {
				peak.accumulateAndGet(threads.getThreadCount(), Math::max);
				sleep(5);
			}
		});
		sampler.start();
		int before = threads.getThreadCount();
		int bound = 4 * CORES + 16;
		List<JobHandle> jobs = new ArrayList<>();
		try {
			for (int i = 0; i < JOBS; i++) {
				jobs.add(this.runtime.spawn(Command.of("sleep", "120")));
			}
			await().atMost(Duration.ofSeconds(120))
				.until(() -> jobs.stream().allMatch((job) -> job.snapshot().state() == JobState.RUNNING));
			int running = threads.getThreadCount();
			System.out.printf("%d jobs running on the event loop: %d threads before, %d running, %d at most%n", JOBS,
					before, running, peak.get());
			assertThat(running - before).as("threads beyond the %d before, with %d jobs running", before, JOBS)
				.isLessThanOrEqualTo(bound);
			assertThat(peak.get() - before).as("the most threads beyond the %d before, while %d jobs started", before,
					JOBS)
				.isLessThanOrEqualTo(bound);
		}
		finally {
			sampling.set(false);
			sampler.join();
			jobs.forEach(JobHandle::cancel);
		}
		CompletableFuture.allOf(jobs.stream().map(JobHandle::outcome).toArray(CompletableFuture[]::new))
			.get(60, TimeUnit.SECONDS);
		assertThat(jobs).allSatisfy((job) -> assertThat(job.outcome().get()).isInstanceOf(Outcome.Cancelled.class));
		Serving.assertStillServing(this.runtime);
	}

	@Test
	void floodingJobsDoNotHoldBackTheLinesOfAQuietOne() throws Exception {
		this.runtime = ExecraRuntime.builder().maxConcurrent(16).cancelGracePeriod(Duration.ofSeconds(1)).build();
		// more floods than the event loop has workers, so that the quiet job's pipe must queue behind theirs
		int floods = 2 * Math.max(4, 2 * CORES);
		List<JobHandle> chatty = new ArrayList<>();
		List<AtomicLong> flooded = new ArrayList<>();
		for (int i = 0; i < floods; i++) {
			AtomicLong lines = new AtomicLong();
			flooded.add(lines);
			// an interpreter that sees every line: each read costs its decoding on top of the staging
			chatty.add(this.runtime.spawn(Command.of("yes", "flooding the pipe with a line of some length")
				.interpreter(() -> new Interpreter() {
					@Override
					public void onLine(Line line, InterpreterContext context) {
						lines.incrementAndGet();
					}
				})));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> flooded.stream().allMatch((lines) -> lines.get() > 10_000));
		long[] atStart = flooded.stream().mapToLong(AtomicLong::get).toArray();
		// each line carries when it was written; the job's event carries when execra read it
		JobHandle quiet = this.runtime
			.spawn(Command.of("sh", "-c", "for i in $(seq 1 20); do date +%s%N; sleep 0.1; done"));
		List<Duration> lags = new ArrayList<>();
		try (EventStream events = quiet.events()) {
			for (Event event; (event = events.next(Duration.ofSeconds(30))) != null && !event.isTerminal();) {
				if (event instanceof Event.OutputAppended line) {
					long written = Long.parseLong(line.line().trim());
					Instant at = Instant.ofEpochSecond(0, written);
					lags.add(Duration.between(at, line.at()));
				}
			}
		}
		List<Long> during = new ArrayList<>();
		for (int i = 0; i < floods; i++) {
			during.add(flooded.get(i).get() - atStart[i]);
		}
		chatty.forEach(JobHandle::cancel);
		assertThat(quiet.outcome().get(30, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
		System.out.printf("%s pump, %d floods: quiet lines read after %s (longest), floods' lines meanwhile %s%n",
				RuntimeInternals.pump(this.runtime), floods, lags.stream().max(Duration::compareTo).orElse(null),
				during);
		assertThat(lags).hasSize(20);
		assertThat(lags.stream().max(Duration::compareTo).orElseThrow())
			.as("the longest a quiet line waited to be read while %d jobs flooded (lags %s)", floods, lags)
			.isLessThan(Duration.ofMillis(1500));
		// the floods went on flowing meanwhile: they were not starved either
		assertThat(during).as("lines of each flood while the quiet job ran")
			.allSatisfy((lines) -> assertThat(lines).isGreaterThan(10_000));
		for (JobHandle job : chatty) {
			assertThat(job.outcome().get(30, TimeUnit.SECONDS)).isInstanceOf(Outcome.Cancelled.class);
		}
	}

	@Test
	void aQueuedJobStartsOnTheThreadWhereTheJobBeforeItEnded() throws Exception {
		List<String> startThreads = oneAtATimeOnTheEventLoop();
		runOneAfterAnother(50);
		// the first starts on a start thread; the others were queued and start where the one before them ended
		assertThat(startThreads).hasSize(50);
		assertThat(startThreads.subList(1, 50))
			.allSatisfy((name) -> assertThat(name).matches("execra-(io-\\d+|event-loop)"));
	}

	@Test
	void jobsOneAfterAnotherAreServedByOneThreadWhileItKeepsUp() throws Exception {
		// a process's end makes its two pipes and its pidfd ready: were every I/O thread waiting in the epoll set,
		// each would wake one, and they would run beside the next job's spawn; one thread waits while it keeps up
		List<String> startThreads = oneAtATimeOnTheEventLoop();
		// warm, and past the while in which a backlog (of an earlier test) or a slow cold turn let the others in
		runOneAfterAnother(50);
		sleep(300);
		startThreads.clear();
		runOneAfterAnother(100);
		List<String> queuedStarts = new ArrayList<>(startThreads.subList(1, 100));
		long onTheFirst = queuedStarts.stream().filter("execra-event-loop"::equals).count();
		// a turn of the first thread over 10 ms (a collection, or the thread descheduled on a loaded machine)
		// lets the others in for a while: most, not all (with every thread waiting, a job's end was spread over
		// several, and the next job started on the one that saw its last part)
		assertThat(onTheFirst).as("queued jobs started on execra-event-loop, of 99: %s", queuedStarts)
			.isGreaterThanOrEqualTo(70);
	}

	/** @return the threads the jobs of a new runtime, which runs one at a time, start on, in order */
	private List<String> oneAtATimeOnTheEventLoop() {
		List<String> startThreads = java.util.Collections.synchronizedList(new ArrayList<>());
		this.runtime = ExecraRuntime.builder().maxConcurrent(1).listener(new io.execra.ExecraListener() {
			@Override
			public void jobStarted(io.execra.Job job, Duration queueWait) {
				startThreads.add(Thread.currentThread().getName());
			}
		}).build();
		assumeTrue(RuntimeInternals.pump(this.runtime).equals("event_loop"), "the event loop pumps here");
		return startThreads;
	}

	private void runOneAfterAnother(int count) throws Exception {
		List<JobHandle> jobs = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			jobs.add(this.runtime.spawn(Command.of("true")));
		}
		for (JobHandle job : jobs) {
			assertThat(job.outcome().get(30, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
		}
	}

	@Test
	void aSlowTurnOfTheFirstThreadLetsTheOthersServe() throws Exception {
		// a listener of a job's end runs on the I/O thread that saw the end; one that blocks the first thread must
		// not stop the loop: the other threads join the wait once a turn lasts over 10 ms
		AtomicReference<java.util.concurrent.CountDownLatch> release = new AtomicReference<>();
		java.util.concurrent.BlockingQueue<String> blockedOn = new java.util.concurrent.LinkedBlockingQueue<>();
		this.runtime = ExecraRuntime.builder().listener(new io.execra.ExecraListener() {
			@Override
			public void jobFinalized(io.execra.Job job, Duration duration) {
				if ("blocker".equals(job.label())) {
					blockedOn.add(Thread.currentThread().getName());
					try {
						release.get().await(30, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
			}
		}).build();
		assumeTrue(RuntimeInternals.pump(this.runtime).equals("event_loop"), "the event loop pumps here");
		runOneAfterAnother(20);
		// until the first thread is the one blocked (another may still be in the wait after a slow cold turn)
		for (int attempt = 1;; attempt++) {
			sleep(300);
			java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
			release.set(latch);
			try {
				JobHandle blocker = this.runtime.spawn(Command.of("true").label("blocker"));
				String thread = blockedOn.poll(10, TimeUnit.SECONDS);
				assertThat(thread).as("the blocker's end was seen").isNotNull();
				if (!thread.equals("execra-event-loop") && attempt < 20) {
					latch.countDown();
					blocker.await();
					continue;
				}
				assertThat(thread).isEqualTo("execra-event-loop");
				JobHandle other = this.runtime.spawn(Command.of("sh", "-c", "echo served"));
				assertThat(other.outcome().get(5, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
				assertThat(latch.getCount()).as("the blocking listener still blocks").isEqualTo(1);
				latch.countDown();
				assertThat(blocker.outcome().get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
				return;
			}
			finally {
				latch.countDown();
			}
		}
	}

	@Test
	void queuedJobsThatCannotStartEndOneAfterAnother() throws Exception {
		// each queued job fails at its start (its directory is gone), releasing its permit to the next as it
		// fails: the chain goes on without a thread nesting one start in another
		this.runtime = ExecraRuntime.builder().maxConcurrent(1).queueCapacity(2_000).build();
		java.nio.file.Path directory = java.nio.file.Files.createTempDirectory("execra-gone");
		JobHandle first = this.runtime.spawn(Command.of("sleep", "0.5"));
		List<JobHandle> queued = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			queued.add(this.runtime.spawn(Command.of("true").cwd(directory)));
		}
		java.nio.file.Files.delete(directory);
		assertThat(first.outcome().get(30, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
		for (JobHandle job : queued) {
			assertThat(job.outcome().get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(Outcome.Failed.class,
					(failed) -> assertThat(failed.reason()).isInstanceOf(io.execra.FailureReason.SpawnFailed.class));
		}
		JobHandle after = this.runtime.spawn(Command.of("true"));
		assertThat(after.outcome().get(30, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
