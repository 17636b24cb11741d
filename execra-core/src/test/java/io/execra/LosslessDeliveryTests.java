package io.execra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link Delivery#LOSSLESS}: a reader of one job that gets every line, the job's output waiting for it, and
 * {@link EventStream#nextBatch}; a reader that holds its job back never holds back another, and lets it go when it
 * closes or stalls.
 */
class LosslessDeliveryTests {

	private static final int LINES = 2_000_000;

	private static final Duration WAIT = Duration.ofSeconds(60);

	/**
	 * What one reader got of {@code seq}'s lines, until its Finalized.
	 * @param lines the lines it got
	 * @param outOfOrder lines that did not follow the one before (after a lag: that were not above it)
	 * @param skipped lines it missed, told by the line after a lag
	 * @param lags the {@link Event.Lagged} it got
	 */
	private record Read(long lines, long outOfOrder, long skipped, int lags) {
	}

	private static Read readAll(EventStream stream, int batch) throws InterruptedException {
		long lines = 0;
		long outOfOrder = 0;
		long skipped = 0;
		int lags = 0;
		long previous = 0;
		boolean lagged = false;
		while (true) {
			List<Event> events = stream.nextBatch(batch, WAIT);
			assertThat(events).as("events after %s lines", lines).isNotEmpty();
			for (Event event : events) {
				if (event instanceof Event.OutputAppended line) {
					lines++;
					long value = Long.parseLong(line.line());
					if (lagged ? value <= previous : value != previous + 1) {
						outOfOrder++;
					}
					skipped += Math.max(0, value - previous - 1);
					previous = value;
					lagged = false;
				}
				else if (event instanceof Event.Lagged) {
					lags++;
					lagged = true;
				}
				else if (event instanceof Event.Finalized) {
					return new Read(lines, outOfOrder, skipped, lags);
				}
			}
		}
	}

	private static Command seq(int lines) {
		return Command.of("seq", "1", Integer.toString(lines));
	}

	@Test
	void aLosslessReaderGetsEveryLineInOrderWhileAPlainReaderOfTheSameJobLags() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().build()) {
			JobHandle job = runtime.spawn(seq(LINES));
			try (EventStream lossless = job.events(Delivery.LOSSLESS); EventStream plain = job.events()) {
				Read all = readAll(lossless, 1024);
				assertThat(all.lines()).isEqualTo(LINES);
				assertThat(all.outOfOrder()).isZero();
				assertThat(all.lags()).isZero();
				// the plain reader read nothing while the job ran: it fell out of the 4,096-event window
				Read some = readAll(plain, 1);
				assertThat(some.lags()).isPositive();
				assertThat(some.lines() + some.skipped()).as("lines seen or skipped").isEqualTo(LINES);
				assertThat(some.outOfOrder()).isZero();
			}
			assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		}
	}

	@Test
	void aLosslessSubscriptionByIdReadWithNextGetsEveryLine() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().build()) {
			JobHandle job = runtime.spawn(seq(200_000));
			try (EventStream lossless = runtime.subscribe(job.id(), Delivery.lossless(Duration.ofSeconds(10)))) {
				long lines = 0;
				while (true) {
					Event event = lossless.next(WAIT);
					assertThat(event).isNotNull().isNotInstanceOf(Event.Lagged.class);
					if (event instanceof Event.OutputAppended line) {
						assertThat(line.line()).isEqualTo(Long.toString(++lines));
					}
					if (event instanceof Event.Finalized) {
						break;
					}
				}
				assertThat(lines).isEqualTo(200_000);
			}
		}
	}

	@Test
	void nextBatchGivesTheSameEventsAsNext() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().replayLimits(100_000, 64L << 20).build()) {
			JobHandle job = runtime.spawn(seq(20_000));
			try (EventStream one = job.events(); EventStream batched = job.events()) {
				List<Event> byNext = new ArrayList<>();
				while (!one.isComplete()) {
					Event event = one.next(WAIT);
					assertThat(event).isNotNull();
					byNext.add(event);
				}
				List<Event> byBatch = new ArrayList<>();
				while (!batched.isComplete()) {
					List<Event> events = batched.nextBatch(7, WAIT);
					assertThat(events).hasSizeBetween(1, 7);
					byBatch.addAll(events);
				}
				assertThat(byBatch).isEqualTo(byNext);
				assertThat(batched.nextBatch(7, Duration.ZERO)).isEmpty();
			}
		}
	}

	@Test
	void nextBatchOfAnAllJobsSubscriptionGivesItsEventsInOrder() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().build();
				EventStream all = runtime.subscribeWithoutOutput()) {
			JobHandle job = runtime.spawn(seq(10));
			List<Event> events = new ArrayList<>();
			while (events.isEmpty() || !(events.get(events.size() - 1) instanceof Event.Finalized)) {
				List<Event> batch = all.nextBatch(100, WAIT);
				assertThat(batch).isNotEmpty();
				events.addAll(batch);
			}
			assertThat(events).allSatisfy((event) -> assertThat(event.jobId()).isEqualTo(job.id()));
			assertThat(events).extracting(Event::seq).isSorted();
		}
	}

	@Test
	void nextBatchRefusesANonPositiveMax() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().build()) {
			JobHandle job = runtime.spawn(seq(1));
			try (EventStream events = job.events()) {
				assertThatIllegalArgumentException().isThrownBy(() -> events.nextBatch(0, WAIT))
					.withMessage("'max' must be positive but was 0");
			}
		}
	}

	@Test
	void aStalledLosslessReaderAndAChattyJobDoNotHoldBackAThirdJob() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().build()) {
			JobHandle held = runtime.spawn(seq(LINES));
			try (EventStream stalled = held.events(Delivery.lossless(Duration.ofMinutes(10)))) {
				JobHandle chatty = runtime.spawn(seq(LINES));
				JobHandle third = runtime.spawn(Command.of("sh", "-c", "for i in 1 2 3; do echo $i; done"));
				assertThat(third.outcome().get(30, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
				assertThat(chatty.outcome().get(60, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
				assertThat(held.snapshot().state()).as("the job its lossless reader holds back")
					.isEqualTo(JobState.RUNNING);
				assertThat(held.outcome()).isNotDone();
			}
			// closing the reader lets the job go on
			assertThat(held.outcome().get(60, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
		}
	}

	@Test
	void aLosslessReaderThatStallsPastItsTimeoutStopsHoldingItsJobAndThenLags() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().build()) {
			JobHandle job = runtime.spawn(seq(LINES));
			try (EventStream stalled = job.events(Delivery.lossless(Duration.ofMillis(300)))) {
				assertThat(job.outcome().get(60, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
				Read read = readAll(stalled, 1000);
				assertThat(read.lags()).isPositive();
				assertThat(read.lines() + read.skipped()).isEqualTo(LINES);
				assertThat(read.outOfOrder()).isZero();
			}
		}
	}

	@Test
	void aSlowLosslessReaderGetsTheLastLinesOfAProcessThatExitedLongBeforeTheDrainGrace() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder()
			.replayLimits(1_000, 1L << 20)
			.drainGracePeriod(Duration.ofMillis(200))
			.build()) {
			JobHandle job = runtime.spawn(seq(20_000));
			try (EventStream slow = job.events(Delivery.LOSSLESS)) {
				long lines = 0;
				boolean finalized = false;
				while (!finalized) {
					for (Event event : slow.nextBatch(10, WAIT)) {
						assertThat(event).isNotInstanceOf(Event.Lagged.class);
						if (event instanceof Event.OutputAppended line) {
							assertThat(line.line()).isEqualTo(Long.toString(++lines));
						}
						finalized = event instanceof Event.Finalized;
					}
					Thread.sleep(1);
				}
				assertThat(lines).isEqualTo(20_000);
			}
			assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		}
	}

	@Test
	void cancellingAJobItsLosslessReaderHoldsBackFinalizesIt() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().cancelGracePeriod(Duration.ofSeconds(1)).build()) {
			JobHandle job = runtime.spawn(Command.of("sh", "-c", "while :; do echo chatty; done"));
			try (EventStream stalled = job.events(Delivery.lossless(Duration.ofMinutes(10)))) {
				List<Event> first = stalled.nextBatch(1, WAIT);
				assertThat(first).isNotEmpty();
				assertThat(job.cancel()).isTrue();
				assertThat(job.outcome().get(30, TimeUnit.SECONDS)).isInstanceOf(Outcome.Cancelled.class);
			}
		}
	}

	@Test
	void losslessDeliveryRefusesANonPositiveStallTimeout() {
		assertThatIllegalArgumentException().isThrownBy(() -> Delivery.lossless(Duration.ZERO))
			.withMessage("'stallTimeout' must be positive but was PT0S");
	}

	@Test
	void eventsRefusesANullDelivery() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().build()) {
			JobHandle job = runtime.spawn(seq(1));
			assertThatIllegalArgumentException().isThrownBy(() -> job.events(null))
				.withMessage("'delivery' must not be null");
			assertThatIllegalArgumentException().isThrownBy(() -> runtime.subscribe(job.id(), null))
				.withMessage("'delivery' must not be null");
		}
	}

}
