package io.execra.internal.delivery;

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
