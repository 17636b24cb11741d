package io.execra.internal.delivery;

import java.time.Clock;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;

import io.execra.Event;
import io.execra.EventStream;
import io.execra.internal.log.EventBatch;

/**
 * The all-jobs subscriptions of a runtime: each job publishes its events here, in order, and every open
 * subscription gets them without the job ever waiting for a subscriber.
 */
public final class EventFanOut {

	private final CopyOnWriteArrayList<GlobalSubscription> subscriptions = new CopyOnWriteArrayList<>();

	private final int bufferSize;

	private final long bufferBytes;

	private final Clock clock;

	private final ThreadFactory deliveryThreads;

	private final Listeners listeners;

	/**
	 * @param bufferSize events a subscriber may be behind before it lags
	 * @param bufferBytes the cost of events a subscriber may be behind before it lags
	 * @param clock the clock of lag signals
	 * @param deliveryThreads threads that deliver events to {@code Flow.Subscriber}s
	 * @param listeners counts the events subscribers missed
	 */
	public EventFanOut(int bufferSize, long bufferBytes, Clock clock, ThreadFactory deliveryThreads,
			Listeners listeners) {
		this.bufferSize = bufferSize;
		this.bufferBytes = bufferBytes;
		this.clock = clock;
		this.deliveryThreads = deliveryThreads;
		this.listeners = listeners;
	}

	/** @return a new subscription to the events of all jobs, from now on */
	public EventStream subscribe() {
		GlobalSubscription[] holder = new GlobalSubscription[1];
		holder[0] = new GlobalSubscription(this.bufferSize, this.bufferBytes, this.clock, this.deliveryThreads,
				() -> this.subscriptions.remove(holder[0]), this.listeners::eventsLagged);
		this.subscriptions.add(holder[0]);
		return holder[0];
	}

	/** @return whether any subscription is open, to be given the events published from now on */
	public boolean hasSubscriptions() {
		return !this.subscriptions.isEmpty();
	}

	/**
	 * Publishes one event.
	 * @param event the event
	 */
	public void publish(Event event) {
		for (GlobalSubscription subscription : this.subscriptions) {
			subscription.offer(event);
		}
	}

	/**
	 * Publishes events of one job, in order, taking each subscription's lock once.
	 * @param events the events, lines left undecoded staying so
	 */
	public void publish(EventBatch events) {
		for (GlobalSubscription subscription : this.subscriptions) {
			subscription.offer(events);
		}
	}

	/** Ends every subscription once it has delivered what it holds: no more events will come. */
	public void finishAll() {
		this.subscriptions.forEach(GlobalSubscription::finish);
	}

}
