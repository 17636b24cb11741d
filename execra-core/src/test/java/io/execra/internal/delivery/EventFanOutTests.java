package io.execra.internal.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraListener;
import io.execra.JobId;
import io.execra.StdStream;
import io.execra.internal.log.EventBatch;
import io.execra.internal.log.LineRef;
import io.execra.internal.log.LineRun;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A runtime's all-jobs subscriptions: each gets what is published after it opened, a closed one is dropped, and
 * the end of the runtime ends them once their readers have what they hold.
 */
class EventFanOutTests {

	private static final JobId JOB = JobId.generate(Clock.systemUTC());

	private final AtomicLong lagged = new AtomicLong();

	private final EventFanOut fanOut = new EventFanOut(3, Long.MAX_VALUE, Clock.systemUTC(), Thread::new,
			new Listeners(List.of(new ExecraListener() {

				@Override
				public void eventsLagged(long count) {
					EventFanOutTests.this.lagged.addAndGet(count);
				}

			})));

	private static Event line(long seq) {
		return new Event.OutputAppended(JOB, seq, Instant.EPOCH, StdStream.STDOUT, "line " + seq, false);
	}

	private static List<Event> drain(EventStream stream) throws InterruptedException {
		List<Event> events = new ArrayList<>();
		Event event;
		while ((event = stream.next(Duration.ZERO)) != null) {
			events.add(event);
		}
		return events;
	}

	@Test
	void everySubscriptionGetsTheEventsPublishedAfterItOpened() throws Exception {
		EventStream early = this.fanOut.subscribe();
		this.fanOut.publish(line(1));
		EventStream late = this.fanOut.subscribe();
		this.fanOut.publish(line(2));
		this.fanOut.publish(line(3));
		assertThat(drain(early)).containsExactly(line(1), line(2), line(3));
		assertThat(drain(late)).containsExactly(line(2), line(3));
	}

	@Test
	void aClosedSubscriptionIsRemovedAndTheOthersGoOn() throws Exception {
		assertThat(this.fanOut.hasSubscriptions()).isFalse();
		EventStream closed = this.fanOut.subscribe();
		EventStream open = this.fanOut.subscribe();
		closed.close();
		assertThat(this.fanOut.hasSubscriptions()).isTrue();
		this.fanOut.publish(line(1));
		assertThat(drain(open)).containsExactly(line(1));
		assertThat(closed.next(Duration.ZERO)).isNull();
		open.close();
		assertThat(this.fanOut.hasSubscriptions()).isFalse();
	}

	@Test
	void eventsASubscriberMissedAreCountedForTheListeners() throws Exception {
		EventStream stream = this.fanOut.subscribe();
		for (long seq = 1; seq <= 5; seq++) {
			this.fanOut.publish(line(seq));
		}
		List<Event> received = drain(stream);
		assertThat(received).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L);
		assertThat(received.get(3)).isInstanceOf(Event.Lagged.class);
		assertThat(this.lagged).hasValue(2);
	}

	private static Event warning(long seq) {
		return new Event.WarningDetected(JOB, seq, Instant.EPOCH, "w", "warning " + seq);
	}

	/** A warning at seq 1, then 100 lines left undecoded, then warnings at seqs 102 to 104. */
	private static EventBatch chattyBatch() {
		byte[] bytes = "x\n".repeat(100).getBytes(StandardCharsets.UTF_8);
		long[] refs = new long[100];
		for (int i = 0; i < refs.length; i++) {
			refs[i] = LineRef.of(2 * i, 1, true);
		}
		EventBatch batch = new EventBatch();
		batch.add(warning(1));
		batch.addLines(new LineRun(JOB, Instant.EPOCH, StdStream.STDOUT, bytes), refs, 0, 100, 2);
		batch.add(line(102));
		batch.add(warning(103));
		batch.add(warning(104));
		return batch;
	}

	@Test
	void aSubscriptionWithoutOutputIsNeverGivenALineNorLagsForOne() throws Exception {
		GlobalSubscription withoutOutput = (GlobalSubscription) this.fanOut.subscribe(false);
		this.fanOut.publish(chattyBatch(), true);
		// what is not queued is never decoded: a line is decoded only when its reader takes it from the queue
		assertThat(withoutOutput.queued()).isEqualTo(3);
		assertThat(drain(withoutOutput)).containsExactly(warning(1), warning(103), warning(104));
		assertThat(this.lagged).hasValue(0);
		// the same buffer of three, given the lines, lags at the fourth event
		EventStream withOutput = this.fanOut.subscribe(true);
		this.fanOut.publish(chattyBatch(), true);
		assertThat(drain(withOutput)).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L);
		assertThat(this.lagged).hasValue(101);
		assertThat(drain(withoutOutput)).containsExactly(warning(1), warning(103), warning(104));
	}

	@Test
	void aSubscriptionWithoutOutputLagsForTheEventsItWouldGetAndNamesTheFirstMissed() throws Exception {
		EventStream withoutOutput = this.fanOut.subscribe(false);
		this.fanOut.publish(chattyBatch(), true);
		this.fanOut.publish(line(105));
		this.fanOut.publish(warning(106));
		List<Event> received = drain(withoutOutput);
		assertThat(received).extracting(Event::seq).containsExactly(1L, 103L, 104L, 106L);
		assertThat(received.get(3)).isInstanceOf(Event.Lagged.class);
		assertThat(this.lagged).hasValue(1);
	}

	@Test
	void linesAreCollectedOnlyWhileASubscriptionWantsThem() {
		EventStream withoutOutput = this.fanOut.subscribe(false);
		assertThat(this.fanOut.hasSubscriptions()).isTrue();
		assertThat(this.fanOut.hasOutputSubscriptions()).isFalse();
		EventStream withOutput = this.fanOut.subscribe(true);
		assertThat(this.fanOut.hasOutputSubscriptions()).isTrue();
		withOutput.close();
		withOutput.close();
		assertThat(this.fanOut.hasOutputSubscriptions()).isFalse();
		withoutOutput.close();
		assertThat(this.fanOut.hasSubscriptions()).isFalse();
	}

	@Test
	void aSubscriptionWantingLinesSkipsABatchCollectedWithoutThem() throws Exception {
		EventStream withoutOutput = this.fanOut.subscribe(false);
		EventStream withOutput = this.fanOut.subscribe(true);
		EventBatch collectedWithoutLines = new EventBatch();
		collectedWithoutLines.add(warning(1));
		collectedWithoutLines.add(warning(3));
		// collected before the second subscription opened: it would get warning 3 without line 2 before it
		this.fanOut.publish(collectedWithoutLines, false);
		this.fanOut.publish(line(4));
		assertThat(drain(withOutput)).containsExactly(line(4));
		assertThat(drain(withoutOutput)).containsExactly(warning(1), warning(3));
	}

	@Test
	void finishAllEndsEveryReaderAfterWhatItHolds() throws Exception {
		EventStream first = this.fanOut.subscribe();
		EventStream second = this.fanOut.subscribe();
		this.fanOut.publish(line(1));
		this.fanOut.finishAll();
		for (EventStream stream : List.of(first, second)) {
			assertThat(stream.isComplete()).isFalse();
			assertThat(stream.next(Duration.ofSeconds(10))).isEqualTo(line(1));
			assertThat(stream.next(Duration.ofSeconds(10))).isNull();
			assertThat(stream.isComplete()).isTrue();
		}
	}

}
