package io.execra.internal.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.execra.Event;
import io.execra.JobId;
import io.execra.StdStream;
import io.execra.internal.log.EventBatch;
import io.execra.internal.log.EventCosts;
import io.execra.internal.log.LineRef;
import io.execra.internal.log.LineRun;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * An all-jobs subscription's buffer: bounded by count and by bytes, with the lag signal when either is passed.
 */
class GlobalSubscriptionTests {

	private static final JobId JOB = JobId.generate(Clock.systemUTC());

	private static final String KILOBYTE_LINE = "x".repeat(1024);

	private static final int LINE_COST = EventCosts.replayLine(KILOBYTE_LINE.length());

	private final AtomicLong lagged = new AtomicLong();

	private GlobalSubscription subscription(int capacity, long maxBytes) {
		return new GlobalSubscription(capacity, maxBytes, Clock.systemUTC(), Thread::new, () -> {
		}, this.lagged::addAndGet);
	}

	private static Event line(long seq, String text) {
		return new Event.OutputAppended(JOB, seq, Instant.EPOCH, StdStream.STDOUT, text, false);
	}

	private static List<Event> drain(GlobalSubscription subscription) throws InterruptedException {
		List<Event> events = new ArrayList<>();
		Event event;
		while ((event = subscription.next(Duration.ZERO)) != null) {
			events.add(event);
		}
		return events;
	}

	@Test
	void aReaderBehindByMoreThanTheByteBoundGetsTheLagSignalWithinTheCountBound() throws Exception {
		GlobalSubscription subscription = subscription(1000, 10L * LINE_COST);
		for (long seq = 1; seq <= 50; seq++) {
			subscription.offer(line(seq, KILOBYTE_LINE));
		}
		List<Event> received = drain(subscription);
		assertThat(received).hasSize(11);
		assertThat(received.subList(0, 10)).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L,
				10L);
		assertThat(received.get(10)).isEqualTo(new Event.Lagged(JOB, 11, received.get(10).at(), 0));
		assertThat(this.lagged).hasValue(40);
	}

	@Test
	void linesQueuedUndecodedCountTheirBytesAgainstTheByteBound() throws Exception {
		byte[] bytes = KILOBYTE_LINE.repeat(50).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		LineRun run = new LineRun(JOB, Instant.EPOCH, StdStream.STDOUT, bytes);
		GlobalSubscription subscription = subscription(1000, 10L * LINE_COST);
		long[] refs = new long[50];
		for (int i = 0; i < 50; i++) {
			refs[i] = LineRef.of(i * 1024, 1024, true);
		}
		EventBatch batch = new EventBatch();
		batch.addLines(run, refs, 0, 50, 1);
		subscription.offer(batch);
		List<Event> received = drain(subscription);
		assertThat(received).hasSize(11);
		assertThat(received.get(9)).isEqualTo(line(10, KILOBYTE_LINE));
		assertThat(received.get(10)).isInstanceOfSatisfying(Event.Lagged.class,
				(lag) -> assertThat(lag.seq()).isEqualTo(11));
	}

	@Test
	void readingFreesTheBytesOfWhatWasRead() throws Exception {
		GlobalSubscription subscription = subscription(1000, 10L * LINE_COST);
		for (long seq = 1; seq <= 10; seq++) {
			subscription.offer(line(seq, KILOBYTE_LINE));
		}
		assertThat(drain(subscription)).hasSize(10);
		for (long seq = 11; seq <= 20; seq++) {
			subscription.offer(line(seq, KILOBYTE_LINE));
		}
		assertThat(drain(subscription)).extracting(Event::seq).containsExactly(11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L,
				19L, 20L);
		assertThat(this.lagged).hasValue(0);
	}

	@Test
	void anEventCostingMoreThanTheByteBoundIsDeliveredWhenNothingElseIsQueued() throws Exception {
		GlobalSubscription subscription = subscription(1000, LINE_COST / 2);
		subscription.offer(line(1, KILOBYTE_LINE));
		subscription.offer(line(2, KILOBYTE_LINE));
		List<Event> received = drain(subscription);
		assertThat(received).extracting(Event::seq).containsExactly(1L, 2L);
		assertThat(received.get(0)).isEqualTo(line(1, KILOBYTE_LINE));
		assertThat(received.get(1)).isInstanceOf(Event.Lagged.class);
	}

	@Test
	void theCountBoundStillApplies() throws Exception {
		GlobalSubscription subscription = subscription(4, Long.MAX_VALUE);
		for (long seq = 1; seq <= 10; seq++) {
			subscription.offer(line(seq, "short"));
		}
		List<Event> received = drain(subscription);
		assertThat(received).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
		assertThat(received.get(4)).isInstanceOf(Event.Lagged.class);
	}

	private static final JobId OTHER = JobId.generate(Clock.systemUTC());

	private static Event line(JobId job, long seq) {
		return new Event.OutputAppended(job, seq, Instant.EPOCH, StdStream.STDOUT, "line " + seq, false);
	}

	private static Event kilobyteLine(JobId job, long seq) {
		return new Event.OutputAppended(job, seq, Instant.EPOCH, StdStream.STDOUT, KILOBYTE_LINE, false);
	}

	private static Event.Lagged lag(Event event) {
		assertThat(event).isInstanceOf(Event.Lagged.class);
		return (Event.Lagged) event;
	}

	@Test
	void eachJobPastTheCountBoundGetsOneLagSignalWithItsFirstMissedSeq() throws Exception {
		GlobalSubscription subscription = subscription(4, Long.MAX_VALUE);
		subscription.offer(line(JOB, 1));
		subscription.offer(line(JOB, 2));
		subscription.offer(line(OTHER, 1));
		subscription.offer(line(OTHER, 2));
		subscription.offer(line(JOB, 3));
		subscription.offer(line(OTHER, 3));
		subscription.offer(line(JOB, 4));
		subscription.offer(line(OTHER, 4));
		List<Event> received = drain(subscription);
		assertThat(received).hasSize(6);
		assertThat(received.subList(0, 4)).containsExactly(line(JOB, 1), line(JOB, 2), line(OTHER, 1),
				line(OTHER, 2));
		assertThat(lag(received.get(4))).extracting(Event.Lagged::jobId, Event.Lagged::seq).containsExactly(JOB, 3L);
		assertThat(lag(received.get(5))).extracting(Event.Lagged::jobId, Event.Lagged::seq)
			.containsExactly(OTHER, 3L);
		assertThat(this.lagged).hasValue(4);
	}

	@Test
	void eachJobPastTheByteBoundGetsOneLagSignalWithItsFirstMissedSeq() throws Exception {
		GlobalSubscription subscription = subscription(1000, 3L * LINE_COST);
		subscription.offer(kilobyteLine(JOB, 1));
		subscription.offer(kilobyteLine(OTHER, 1));
		subscription.offer(kilobyteLine(OTHER, 2));
		subscription.offer(kilobyteLine(OTHER, 3));
		subscription.offer(kilobyteLine(JOB, 2));
		subscription.offer(kilobyteLine(JOB, 3));
		List<Event> received = drain(subscription);
		assertThat(received).extracting(Event::jobId, Event::seq)
			.containsExactly(tuple(JOB, 1L), tuple(OTHER, 1L), tuple(OTHER, 2L), tuple(OTHER, 3L), tuple(JOB, 2L));
		assertThat(received.get(3)).isInstanceOf(Event.Lagged.class);
		assertThat(received.get(4)).isInstanceOf(Event.Lagged.class);
		assertThat(this.lagged).hasValue(3);
	}

	@Test
	void aLaggingJobsNewerEventsWaitForItsLagSignalWhileOtherJobsGoOn() throws Exception {
		GlobalSubscription subscription = subscription(2, Long.MAX_VALUE);
		subscription.offer(line(JOB, 1));
		subscription.offer(line(OTHER, 1));
		subscription.offer(line(JOB, 2));
		assertThat(subscription.next(Duration.ZERO)).isEqualTo(line(JOB, 1));
		subscription.offer(line(JOB, 3));
		subscription.offer(line(OTHER, 2));
		List<Event> received = drain(subscription);
		assertThat(received).hasSize(3);
		assertThat(received.subList(0, 2)).containsExactly(line(OTHER, 1), line(OTHER, 2));
		assertThat(lag(received.get(2))).extracting(Event.Lagged::jobId, Event.Lagged::seq).containsExactly(JOB, 2L);
		subscription.offer(line(JOB, 4));
		assertThat(drain(subscription)).as("once signalled, the job's events flow again")
			.containsExactly(line(JOB, 4));
		assertThat(this.lagged).hasValue(2);
	}

	@Test
	void closingEndsTheSubscriptionAtOnceAndRunsItsCloseActionOnce() throws Exception {
		AtomicLong closes = new AtomicLong();
		GlobalSubscription subscription = new GlobalSubscription(10, Long.MAX_VALUE, Clock.systemUTC(), Thread::new,
				closes::incrementAndGet, this.lagged::addAndGet);
		subscription.offer(line(JOB, 1));
		subscription.close();
		subscription.close();
		assertThat(closes).hasValue(1);
		assertThat(subscription.isComplete()).isTrue();
		subscription.offer(line(JOB, 2));
		assertThat(subscription.next(Duration.ofSeconds(10))).as("what it held is dropped").isNull();
	}

	@Test
	void finishingLetsTheReaderTakeWhatItHoldsThenEndsIt() throws Exception {
		GlobalSubscription subscription = subscription(1, Long.MAX_VALUE);
		subscription.offer(line(JOB, 1));
		subscription.offer(line(JOB, 2));
		subscription.finish();
		assertThat(subscription.isComplete()).isFalse();
		assertThat(subscription.next(Duration.ofSeconds(10))).isEqualTo(line(JOB, 1));
		assertThat(subscription.next(Duration.ofSeconds(10))).isInstanceOf(Event.Lagged.class);
		assertThat(subscription.isComplete()).isTrue();
		assertThat(subscription.next(Duration.ofSeconds(10))).as("no wait once finished").isNull();
	}

	@Test
	void finishingWakesAReaderWaitingForEvents() throws Exception {
		GlobalSubscription subscription = subscription(10, Long.MAX_VALUE);
		CompletableFuture<Event> read = CompletableFuture.supplyAsync(() -> {
			try {
				return subscription.next(Duration.ofMinutes(5));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		subscription.finish();
		assertThat(read.get(10, TimeUnit.SECONDS)).isNull();
		assertThat(subscription.isComplete()).isTrue();
	}

}
