package io.execra;

import java.time.Duration;
import java.util.concurrent.Flow;

import org.jspecify.annotations.Nullable;

/**
 * An {@link EventStream} that drops the {@link Event.OutputAppended} of another as they come: the default
 * {@link ExecraRuntime#subscribeWithoutOutput()} of a runtime that cannot leave the lines out at the source.
 */
final class EventStreamWithoutOutput implements EventStream {

	/** A timeout this long or longer is waited without end, so no deadline is computed for it. */
	private static final long UNBOUNDED_NANOS = Long.MAX_VALUE / 2;

	private final EventStream events;

	EventStreamWithoutOutput(EventStream events) {
		this.events = events;
	}

	@Override
	public @Nullable Event next(Duration timeout) throws InterruptedException {
		long nanos = timeout.isNegative() ? 0
				: (timeout.compareTo(Duration.ofNanos(UNBOUNDED_NANOS)) >= 0) ? UNBOUNDED_NANOS : timeout.toNanos();
		long deadline = System.nanoTime() + nanos;
		Duration wait = timeout;
		while (true) {
			Event event = this.events.next(wait);
			if (!(event instanceof Event.OutputAppended)) {
				return event;
			}
			if (nanos < UNBOUNDED_NANOS) {
				// what the dropped lines took of the timeout is not waited again; lines already there are still taken
				wait = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
			}
		}
	}

	@Override
	public boolean isComplete() {
		return this.events.isComplete();
	}

	@Override
	public void close() {
		this.events.close();
	}

	@Override
	public void subscribe(Flow.Subscriber<? super Event> subscriber) {
		this.events.subscribe(new Flow.Subscriber<Event>() {

			/** Set before any other signal (Flow's rule), on the thread that then delivers them. */
			private Flow.@Nullable Subscription subscription;

			@Override
			public void onSubscribe(Flow.Subscription subscription) {
				this.subscription = subscription;
				subscriber.onSubscribe(subscription);
			}

			@Override
			public void onNext(Event event) {
				Flow.Subscription subscription = this.subscription;
				if (!(event instanceof Event.OutputAppended)) {
					subscriber.onNext(event);
				}
				else if (subscription != null) {
					// the subscriber asked for an event, not for this line: ask for one more in its place
					subscription.request(1);
				}
			}

			@Override
			public void onError(Throwable error) {
				subscriber.onError(error);
			}

			@Override
			public void onComplete() {
				subscriber.onComplete();
			}

		});
	}

}
