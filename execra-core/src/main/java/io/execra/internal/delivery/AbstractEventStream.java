package io.execra.internal.delivery;

import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.execra.Event;
import io.execra.EventStream;

/**
 * The {@link Flow.Publisher} side shared by event streams: one delivery thread per subscriber that pulls with
 * {@link #next(Duration)} while there is demand.
 */
abstract class AbstractEventStream implements EventStream {

	private static final Duration POLL = Duration.ofMillis(200);

	private final ThreadFactory threads;

	private final AtomicBoolean subscribed = new AtomicBoolean();

	AbstractEventStream(ThreadFactory threads) {
		this.threads = threads;
	}

	@Override
	public void subscribe(Flow.Subscriber<? super Event> subscriber) {
		if (!this.subscribed.compareAndSet(false, true)) {
			subscriber.onSubscribe(new Flow.Subscription() {
				@Override
				public void request(long n) {
				}

				@Override
				public void cancel() {
				}
			});
			subscriber.onError(new IllegalStateException("an EventStream accepts one Flow.Subscriber"));
			return;
		}
		AtomicLong demand = new AtomicLong();
		AtomicBoolean cancelled = new AtomicBoolean();
		Thread[] delivery = new Thread[1];
		delivery[0] = this.threads.newThread(() -> deliver(subscriber, demand, cancelled));
		subscriber.onSubscribe(new Flow.Subscription() {
			@Override
			public void request(long n) {
				if (n <= 0) {
					cancelled.set(true);
					subscriber.onError(new IllegalArgumentException("request must be positive but was " + n));
					return;
				}
				demand.accumulateAndGet(n, (a, b) -> (a + b < 0) ? Long.MAX_VALUE : a + b);
				LockSupport.unpark(delivery[0]);
			}

			@Override
			public void cancel() {
				cancelled.set(true);
				close();
			}
		});
		delivery[0].start();
	}

	private void deliver(Flow.Subscriber<? super Event> subscriber, AtomicLong demand, AtomicBoolean cancelled) {
		try {
			while (!cancelled.get()) {
				if (demand.get() == 0) {
					LockSupport.parkNanos(POLL.toNanos());
					continue;
				}
				Event event = next(POLL);
				if (event != null) {
					demand.decrementAndGet();
					subscriber.onNext(event);
				}
				else if (isComplete()) {
					if (!cancelled.get()) {
						subscriber.onComplete();
					}
					return;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Throwable ex) {
			subscriber.onError(ex);
		}
	}

}
