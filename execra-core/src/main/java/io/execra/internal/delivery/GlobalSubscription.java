package io.execra.internal.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.execra.Event;
import io.execra.JobId;
import io.execra.internal.Durations;
import io.execra.internal.log.EventBatch;
import io.execra.internal.log.EventCosts;
import org.jspecify.annotations.Nullable;

/**
 * A subscription to the events of all jobs, live from its creation. Publishing never blocks: when the reader is
 * more than the buffer's size behind, by count of events or by their cost (approximate bytes, the replay window's
 * {@link EventCosts#replay}), the events of the affected jobs are dropped and the reader later receives one
 * {@link Event.Lagged} per job, naming the first missed seq, before any newer event of that job. An event costing
 * more than the whole byte bound is still queued when the queue is empty, so that it can be delivered at all.
 * <p>
 * A subscription without output leaves every {@link Event.OutputAppended} out as it is offered: the lines are
 * neither queued nor decoded for it, count toward neither bound, and so never make it lag.
 */
public final class GlobalSubscription extends AbstractEventStream {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition available = this.lock.newCondition();

	/**
	 * Events, with lines left undecoded that the reader decodes when it takes them, unless another reader of the
	 * job decoded them just before (see {@link io.execra.internal.log.DecodedLines}).
	 */
	private final EventBatch queue = new EventBatch();

	/** Jobs whose events are being dropped, with the first missed seq. */
	private final Map<JobId, Long> lagging = new LinkedHashMap<>();

	private final int capacity;

	private final long maxBytes;

	private final Clock clock;

	private final Runnable onClose;

	private final java.util.function.LongConsumer lagCounter;

	/** Whether output lines are queued for the reader. */
	private final boolean includeOutput;

	private boolean closed;

	/** No more events will be offered: the runtime shut down. */
	private boolean finished;

	public GlobalSubscription(int capacity, long maxBytes, Clock clock, ThreadFactory threads, Runnable onClose,
			java.util.function.LongConsumer lagCounter) {
		this(capacity, maxBytes, clock, threads, onClose, lagCounter, true);
	}

	public GlobalSubscription(int capacity, long maxBytes, Clock clock, ThreadFactory threads, Runnable onClose,
			java.util.function.LongConsumer lagCounter, boolean includeOutput) {
		super(threads);
		this.includeOutput = includeOutput;
		this.capacity = capacity;
		this.maxBytes = maxBytes;
		this.clock = clock;
		this.onClose = onClose;
		this.lagCounter = lagCounter;
	}

	public void offer(Event event) {
		if (!this.includeOutput && event instanceof Event.OutputAppended) {
			return;
		}
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			if (admit(event.jobId(), event.seq(), EventCosts.replay(event))) {
				this.queue.add(event);
				this.available.signal();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Offers events in order, waking the reader once.
	 * @param events the events, lines left undecoded staying so
	 */
	public void offer(EventBatch events) {
		offer(events, true);
	}

	/**
	 * Offers events in order, waking the reader once.
	 * @param events the events, lines left undecoded staying so
	 * @param withLines whether the job collected its output lines into the batch: it does not while no
	 * subscription wants them, and a subscription that wants them, opened since, then skips the whole batch rather
	 * than get its other events without the lines between them
	 */
	public void offer(EventBatch events, boolean withLines) {
		if (this.includeOutput && !withLines) {
			return;
		}
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			boolean added = false;
			for (int i = 0; i < events.size(); i++) {
				// a line is left out before it is admitted: it is not a missed event, and never makes the reader lag
				if (!this.includeOutput && events.isOutput(i)) {
					continue;
				}
				if (admit(events.jobId(i), events.seq(i), events.cost(i))) {
					this.queue.add(events, i);
					added = true;
				}
			}
			if (added) {
				this.available.signal();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Whether an event may be queued, or is dropped and its lag recorded. Call under the lock.
	 * @param job its job
	 * @param seq its seq
	 * @param cost its cost
	 * @return {@code true} to queue it
	 */
	private boolean admit(JobId job, long seq, int cost) {
		if (this.lagging.containsKey(job)) {
			this.lagCounter.accept(1);
			return false;
		}
		if (this.queue.size() >= this.capacity
				|| (this.queue.cost() + cost > this.maxBytes && !this.queue.isEmpty())) {
			this.lagging.put(job, seq);
			this.lagCounter.accept(1);
			return false;
		}
		return true;
	}

	@Override
	public @Nullable Event next(Duration timeout) throws InterruptedException {
		EventBatch.Taken taken = take(timeout);
		// a line queued undecoded is decoded (or shared) here, outside the lock the job's thread offers under
		return (taken != null) ? taken.event() : null;
	}

	/** The next event or undecoded line, or a lag signal, waiting for one as {@link #next} does. */
	private EventBatch.@Nullable Taken take(Duration timeout) throws InterruptedException {
		long nanos = Durations.nanos(timeout);
		this.lock.lock();
		try {
			while (true) {
				if (this.closed) {
					return null;
				}
				if (!this.queue.isEmpty()) {
					return this.queue.removeFirst();
				}
				if (!this.lagging.isEmpty()) {
					Iterator<Map.Entry<JobId, Long>> it = this.lagging.entrySet().iterator();
					Map.Entry<JobId, Long> first = it.next();
					it.remove();
					Event lag = new Event.Lagged(first.getKey(), first.getValue(), this.clock.instant(), 0);
					return EventBatch.Taken.of(lag);
				}
				if (nanos <= 0 || this.finished) {
					return null;
				}
				nanos = this.available.awaitNanos(nanos);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Marks the subscription complete once what is queued has been read: the runtime has shut down.
	 */
	public void finish() {
		this.lock.lock();
		try {
			this.finished = true;
			this.available.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public boolean isComplete() {
		this.lock.lock();
		try {
			return this.closed || (this.finished && this.queue.isEmpty() && this.lagging.isEmpty());
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void close() {
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.queue.clear();
			this.available.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		this.onClose.run();
	}

	/**
	 * The entries queued for the reader, for tests of what is left out.
	 * @return how many
	 */
	int queued() {
		this.lock.lock();
		try {
			return this.queue.size();
		}
		finally {
			this.lock.unlock();
		}
	}

}
