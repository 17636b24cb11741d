package io.execra.test;

import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.execra.Event;
import io.execra.EventStream;
import org.jspecify.annotations.Nullable;

/**
 * The {@link EventStream} contract over a source of scripted events: {@code next} waits, returns {@code null} on
 * timeout, when closed or when complete; as a {@link Flow.Publisher} it delivers on a thread of its own, honouring
 * demand.
 */
abstract class ScriptedEventStream implements EventStream {

	private static final Duration DELIVERY_POLL = Duration.ofMillis(100);

	private volatile boolean closed;

	private volatile boolean complete;

	/**
	 * Takes the next event from the source.
	 * @param timeout how long to wait at most
	 * @return the event, or {@code null} on timeout
	 * @throws InterruptedException if interrupted while waiting
	 */
	protected abstract @Nullable Event poll(Duration timeout) throws InterruptedException;

	/** No more events will come. */
	protected final void complete() {
		this.complete = true;
	}

	@Override
	public @Nullable Event next(Duration timeout) throws InterruptedException {
		if (this.closed || this.complete) {
			return null;
		}
		return poll(timeout);
	}

	@Override
	public boolean isComplete() {
		return this.closed || this.complete;
	}

	@Override
	public void close() {
		this.closed = true;
	}

	@Override
	public void subscribe(Flow.Subscriber<? super Event> subscriber) {
		AtomicLong demand = new AtomicLong();
		AtomicBoolean cancelled = new AtomicBoolean();
		Object signal = new Object();
		subscriber.onSubscribe(new Flow.Subscription() {

			@Override
			public void request(long n) {
				if (n <= 0) {
					cancelled.set(true);
					subscriber.onError(new IllegalArgumentException("'n' must be positive, was " + n));
					return;
				}
				demand.accumulateAndGet(n, (a, b) -> (a + b < 0) ? Long.MAX_VALUE : a + b);
				synchronized (signal) {
					signal.notifyAll();
				}
			}

			@Override
			public void cancel() {
				cancelled.set(true);
				close();
			}

		});
		Thread delivery = new Thread(() -> deliver(subscriber, demand, cancelled, signal), "execra-test-events");
		delivery.setDaemon(true);
		delivery.start();
	}

	private void deliver(Flow.Subscriber<? super Event> subscriber, AtomicLong demand, AtomicBoolean cancelled,
			Object signal) {
		try {
			while (!cancelled.get() && !isComplete()) {
				synchronized (signal) {
					while (demand.get() == 0 && !cancelled.get()) {
						signal.wait(DELIVERY_POLL.toMillis());
					}
				}
				Event event = cancelled.get() ? null : next(DELIVERY_POLL);
				if (event != null) {
					demand.decrementAndGet();
					subscriber.onNext(event);
				}
			}
			if (!cancelled.get()) {
				subscriber.onComplete();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
