package io.execra.internal.delivery;

import java.time.Clock;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import io.execra.Event;
import io.execra.EventStream;
import io.execra.internal.log.DecodedLines;
import io.execra.internal.log.EventBatch;

/**
 * The all-jobs subscriptions of a runtime: each job publishes its events here, in order, and every open
 * subscription gets them without the job ever waiting for a subscriber.
 */
public final class EventFanOut {

	private final CopyOnWriteArrayList<GlobalSubscription> subscriptions = new CopyOnWriteArrayList<>();

	/**
	 * The open subscriptions that want output lines: while there is none, jobs need not collect their lines for
	 * this fan-out at all.
	 */
	private final AtomicInteger outputSubscriptions = new AtomicInteger();

	/** The lines the readers of all jobs decoded last, shared while a job's lines have several readers. */
	private final DecodedLines decodedLines = new DecodedLines(this.outputSubscriptions::get);

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
		return subscribe(true);
	}

	/**
	 * A new subscription to the events of all jobs, from now on.
	 * @param includeOutput whether it gets output lines; without them, lines are never queued for it nor decoded
	 * @return the subscription
	 */
	public EventStream subscribe(boolean includeOutput) {
		GlobalSubscription[] holder = new GlobalSubscription[1];
		holder[0] = new GlobalSubscription(this.bufferSize, this.bufferBytes, this.clock, this.deliveryThreads,
				() -> closed(holder[0], includeOutput), this.listeners::eventsLagged, includeOutput);
		// counted before it is added, so that a job that sees it among the subscriptions collects lines for it
		// (see GlobalSubscription#offer(EventBatch, boolean))
		if (includeOutput) {
			this.outputSubscriptions.incrementAndGet();
		}
		this.subscriptions.add(holder[0]);
		return holder[0];
	}

	private void closed(GlobalSubscription subscription, boolean includeOutput) {
		if (this.subscriptions.remove(subscription) && includeOutput) {
			this.outputSubscriptions.decrementAndGet();
		}
	}

	/**
	 * @return where readers share the lines they decode: each subscription that wants lines reads every job's
	 */
	public DecodedLines decodedLines() {
		return this.decodedLines;
	}

	/** @return whether any subscription is open, to be given the events published from now on */
	public boolean hasSubscriptions() {
		return !this.subscriptions.isEmpty();
	}

	/** @return whether any open subscription wants output lines */
	public boolean hasOutputSubscriptions() {
		return this.outputSubscriptions.get() > 0;
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
	 * @param withLines whether the job collected its output lines into them, as it does only while
	 * {@link #hasOutputSubscriptions()} (see {@link GlobalSubscription#offer(EventBatch, boolean)})
	 */
	public void publish(EventBatch events, boolean withLines) {
		for (GlobalSubscription subscription : this.subscriptions) {
			subscription.offer(events, withLines);
		}
	}

	/** Ends every subscription once it has delivered what it holds: no more events will come. */
	public void finishAll() {
		this.subscriptions.forEach(GlobalSubscription::finish);
	}

}
