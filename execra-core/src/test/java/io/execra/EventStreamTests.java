package io.execra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.execra.interpret.Interpreter;
import io.execra.support.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event order, seq contiguity, replay and explicit lag signals.
 */
class EventStreamTests {

	@Test
	void allJobsSubscribersAndJobStreamsGetTheSameLinesAsTheToolPrintedThem() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().build(); EventStream all = runtime.subscribe()) {
			// lines decoded by the subscriber's thread: ASCII, UTF-8, invalid UTF-8, a line spanning two reads
			JobHandle job = runtime.spawn(Command.shell(
					"seq 1 3000; printf 'naïve\\n\\377x\\n'; printf 'part'; sleep 0.3; printf 'ed\\nlast\\n'"));
			List<String> expected = new ArrayList<>();
			for (int i = 1; i <= 3000; i++) {
				expected.add(Integer.toString(i));
			}
			expected.addAll(List.of("naïve", "\uFFFDx", "part", "ed", "last"));
			List<Event> events = new ArrayList<>();
			while (true) {
				Event event = all.next(Duration.ofSeconds(30));
				assertThat(event).isNotNull().isNotInstanceOf(Event.Lagged.class);
				events.add(event);
				if (event instanceof Event.Finalized) {
					break;
				}
			}
			// the partial line waited the partial-line timeout: published split, its end as the next line
			assertThat(TestJobs.lines(events)).containsExactlyElementsOf(expected);
			assertThat(events).extracting(Event::seq).isSorted().doesNotHaveDuplicates();
			assertThat(TestJobs.allEvents(job)).isEqualTo(events);
		}
	}

	@Test
	void eventOrderAndSeqContiguityHoldForAThousandConcurrentJobs() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().maxConcurrent(8).queueCapacity(1000).build();
				EventStream all = runtime.subscribe()) {
			List<JobHandle> jobs = new ArrayList<>();
			for (int i = 0; i < 1000; i++) {
				jobs.add(runtime.spawn(Command.of("echo", "job", Integer.toString(i))));
			}
			Map<JobId, List<Event>> byJob = new HashMap<>();
			int finalized = 0;
			while (finalized < 1000) {
				Event event = all.next(Duration.ofSeconds(30));
				assertThat(event).as("event after %d finalized jobs", finalized).isNotNull();
				assertThat(event).isNotInstanceOf(Event.Lagged.class);
				byJob.computeIfAbsent(event.jobId(), (id) -> new ArrayList<>()).add(event);
				if (event instanceof Event.Finalized) {
					finalized++;
				}
			}
			assertThat(byJob).hasSize(1000);
			for (JobHandle job : jobs) {
				List<Event> events = byJob.get(job.id());
				assertThat(events).extracting(Event::seq)
					.as("seqs of %s", job.id())
					.containsExactly(1L, 2L, 3L, 4L, 5L);
				assertThat(TestJobs.kinds(events)).containsExactly("job_created", "job_started", "output_appended",
						"exited", "finalized");
				assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
			}
		}
	}

	@Test
	void linesFollowedBySilenceReachAWaitingReaderWithoutWaitingForMoreOutput() throws Exception {
		// while output flows, readers of a read are woken during the next one; a read with nothing after it wakes
		// them before the pump blocks, or a waiting reader would see its lines only when its wait ran out
		try (ExecraRuntime runtime = ExecraRuntime.inMemory()) {
			long start = System.nanoTime();
			JobHandle job = runtime.spawn(Command.shell("seq 1 100000; sleep 60"));
			try (EventStream events = job.events()) {
				Event event;
				do {
					event = events.next(Duration.ofSeconds(30));
				}
				while (event != null && !(event instanceof Event.OutputAppended line && line.line().equals("100000")));
				assertThat(event).as("the burst's last line").isNotNull();
				assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the wait for the burst's last line")
					.isLessThan(Duration.ofSeconds(15));
			}
			finally {
				job.cancel();
			}
		}
	}

	@Test
	void readersKeepingUpMissNoLineOfAReadHoldingMoreLinesThanTheirWindow(@TempDir Path dir) throws Exception {
		// cat writes the 2,000 lines in one write(2), so the pump reads them in one read: more lines than the replay
		// window (400) and a subscriber's buffer (400) hold. An interpreter holds the pump at every 100th line until
		// both readers have taken the line 150 before it, so they are never further behind than that; published all
		// at the end of the read, the first lines would leave the window (and overflow the buffer) before either
		// reader could take them, and the first hold would wait in vain
		Files.write(dir.resolve("lines.txt"), java.util.stream.IntStream.rangeClosed(1, 2000)
			.mapToObj(Integer::toString)
			.toList());
		AtomicLong jobStreamSeq = new AtomicLong();
		AtomicLong subscriptionSeq = new AtomicLong();
		List<String> problems = new CopyOnWriteArrayList<>();
		Interpreter holdUntilReadersFollow = (line, context) -> {
			long seq = line.seq();
			if (seq % 100 != 0 || seq < 200 || !problems.isEmpty()) {
				return;
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (jobStreamSeq.get() < seq - 150 || subscriptionSeq.get() < seq - 150) {
				if (System.nanoTime() > deadline) {
					problems.add("at seq " + seq + " the readers had taken only up to " + jobStreamSeq.get() + " and "
							+ subscriptionSeq.get());
					return;
				}
				Thread.onSpinWait();
			}
		};
		try (ExecraRuntime runtime = ExecraRuntime.builder()
			.replayLimits(400, 1024 * 1024)
			.subscriberBufferSize(400)
			.build(); EventStream all = runtime.subscribe()) {
			JobHandle job = runtime.spawn(
					Command.of("cat", "lines.txt").cwd(dir).interpreter(() -> holdUntilReadersFollow));
			Thread subscriber = new Thread(() -> follow(all, job.id(), subscriptionSeq, problems));
			subscriber.start();
			try (EventStream events = job.events()) {
				follow(events, job.id(), jobStreamSeq, problems);
			}
			subscriber.join(30_000);
			assertThat(problems).isEmpty();
			assertThat(jobStreamSeq.get()).isEqualTo(subscriptionSeq.get()).isGreaterThan(2000);
		}
	}

	/** Takes a job's events until it is finalized, noting the seq of each and any lag or missing event. */
	private static void follow(EventStream events, JobId job, AtomicLong seen, List<String> problems) {
		try {
			while (true) {
				Event event = events.next(Duration.ofSeconds(30));
				if (event == null) {
					problems.add("no event after seq " + seen.get());
					return;
				}
				if (!event.jobId().equals(job)) {
					continue;
				}
				if (event instanceof Event.Lagged lagged) {
					problems.add("lagged at seq " + lagged.seq());
					return;
				}
				seen.set(event.seq());
				if (event instanceof Event.Finalized) {
					return;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void replayAfterFinishReturnsEveryEventOfASmallJob() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.inMemory()) {
			JobHandle job = runtime.spawn(Command.of("seq", "1", "50"));
			job.await();
			List<Event> replayed = TestJobs.allEvents(job);
			assertThat(replayed).hasSize(54);
			assertThat(replayed).extracting(Event::seq).containsExactlyElementsOf(
					java.util.stream.LongStream.rangeClosed(1, 54).boxed().toList());
			List<Event> again = TestJobs.allEvents(runtime.handle(job.id()).orElseThrow());
			assertThat(again).isEqualTo(replayed);
		}
	}

	@Test
	void jobStreamThatFallsOutOfTheReplayWindowGetsALagSignalAndRecovers() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().replayLimits(100, 1024 * 1024).build()) {
			JobHandle job = runtime.spawn(Command.of("seq", "1", "1000"));
			job.await();
			try (EventStream late = job.events()) {
				Event first = late.next(Duration.ofSeconds(1));
				assertThat(first).isInstanceOfSatisfying(Event.Lagged.class, (lagged) -> {
					assertThat(lagged.seq()).isEqualTo(1);
					assertThat(lagged.resumeSeq()).isEqualTo(1004 - 100 + 1);
				});
				List<Event> rest = new ArrayList<>();
				Event event;
				while ((event = late.next(Duration.ofMillis(200))) != null) {
					rest.add(event);
				}
				assertThat(rest).hasSize(100);
				assertThat(rest.get(rest.size() - 1)).isInstanceOf(Event.Finalized.class);
				assertThat(late.isComplete()).isTrue();
			}
			// what the window no longer holds is still readable: output by seq, the rest from the store
			OutputPage page = runtime.output(job.id(), 0, 1024 * 1024, Duration.ZERO);
			assertThat(page.chunks()).hasSize(1000);
			assertThat(runtime.events(job.id(), 0, 10)).extracting(Event::kind).containsExactly("job_created",
					"job_started", "exited", "finalized");
		}
	}

	@Test
	void jobStreamReadByTwoThreadsAtOnceHandsOutEachEventOnce() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().replayLimits(1_000_000, 1L << 30).build()) {
			JobHandle job = runtime.spawn(Command.of("seq", "1", "200000"));
			try (EventStream events = job.events()) {
				List<Long> seqs = new CopyOnWriteArrayList<>();
				Runnable read = () -> {
					List<Long> mine = new ArrayList<>();
					try {
						Event event;
						while ((event = events.next(Duration.ofSeconds(2))) != null) {
							assertThat(event).isNotInstanceOf(Event.Lagged.class);
							mine.add(event.seq());
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					assertThat(mine).isSorted();
					seqs.addAll(mine);
				};
				Thread other = new Thread(read);
				other.start();
				read.run();
				other.join();
				assertThat(events.isComplete()).isTrue();
				assertThat(seqs).hasSize(200_004).doesNotHaveDuplicates();
			}
		}
	}

	@Test
	void slowAllJobsSubscriberGetsALagSignalNamingTheFirstMissedSeqAndRecovers() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().subscriberBufferSize(16).build();
				EventStream slow = runtime.subscribe()) {
			JobHandle job = runtime.spawn(Command.of("seq", "1", "500"));
			job.await();
			List<Event> received = new ArrayList<>();
			Event event;
			while ((event = slow.next(Duration.ofMillis(200))) != null) {
				received.add(event);
			}
			assertThat(received).hasSize(17);
			assertThat(received.subList(0, 16)).extracting(Event::seq)
				.containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 16).boxed().toList());
			assertThat(received.get(16)).isInstanceOfSatisfying(Event.Lagged.class,
					(lagged) -> assertThat(lagged.seq()).isEqualTo(17));
			// recovery: replay the job from where it was missed
			try (EventStream replay = runtime.subscribe(job.id())) {
				List<Event> all = new ArrayList<>();
				while ((event = replay.next(Duration.ofMillis(200))) != null) {
					all.add(event);
				}
				assertThat(all).hasSize(504);
			}
			// and the subscriber keeps receiving live events of later jobs
			JobHandle next = runtime.spawn(Command.of("true"));
			next.await();
			assertThat(slow.next(Duration.ofSeconds(5))).isInstanceOf(Event.JobCreated.class);
		}
	}

	@Test
	void streamWorksAsAFlowPublisher() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.inMemory()) {
			JobHandle job = runtime.spawn(Command.of("echo", "flow"));
			List<Event> received = new CopyOnWriteArrayList<>();
			CountDownLatch done = new CountDownLatch(1);
			job.events().subscribe(new Flow.Subscriber<>() {
				private Flow.Subscription subscription;

				@Override
				public void onSubscribe(Flow.Subscription subscription) {
					this.subscription = subscription;
					subscription.request(1);
				}

				@Override
				public void onNext(Event item) {
					received.add(item);
					this.subscription.request(1);
				}

				@Override
				public void onError(Throwable throwable) {
					done.countDown();
				}

				@Override
				public void onComplete() {
					done.countDown();
				}
			});
			assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(TestJobs.kinds(received)).containsExactly("job_created", "job_started", "output_appended",
					"exited", "finalized");
		}
	}

	@Test
	void subscriberThatThrowsDoesNotDisturbTheJob() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.inMemory()) {
			JobHandle job = runtime.spawn(Command.of("seq", "1", "100"));
			CountDownLatch errored = new CountDownLatch(1);
			job.events().subscribe(new Flow.Subscriber<>() {
				@Override
				public void onSubscribe(Flow.Subscription subscription) {
					subscription.request(Long.MAX_VALUE);
				}

				@Override
				public void onNext(Event item) {
					throw new IllegalStateException("subscriber bug");
				}

				@Override
				public void onError(Throwable throwable) {
					errored.countDown();
				}

				@Override
				public void onComplete() {
				}
			});
			assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
			assertThat(errored.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(TestJobs.lines(TestJobs.allEvents(job))).hasSize(100);
		}
	}

}
