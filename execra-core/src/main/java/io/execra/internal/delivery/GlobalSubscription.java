package io.execra.internal.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.execra.Event;
import io.execra.JobId;
import org.jspecify.annotations.Nullable;
import io.execra.internal.log.UndecodedLine;
import io.execra.internal.Durations;

/**
 * A subscription to the events of all jobs, live from its creation. Publishing never blocks: when the reader is
 * more than the buffer's size behind, by count of events or by their cost (approximate bytes, the replay window's
 * {@link EventLog#cost}), the events of the affected jobs are dropped and the reader later receives one
 * {@link Event.Lagged} per job, naming the first missed seq, before any newer event of that job. An event costing
 * more than the whole byte bound is still queued when the queue is empty, so that it can be delivered at all.
 */
public final class GlobalSubscription extends AbstractEventStream {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition available = this.lock.newCondition();

	/** {@link Event}s, and {@link UndecodedLine}s that the reader decodes when it takes them. */
	private final ArrayDeque<Object> queue = new ArrayDeque<>();

	/** Jobs whose events are being dropped, with the first missed seq. */
	private final Map<JobId, Long> lagging = new LinkedHashMap<>();

	private final int capacity;

	private final long maxBytes;

	/** The cost of what {@link #queue} holds. */
	private long queuedBytes;

	private final Clock clock;

	private final Runnable onClose;

	private final java.util.function.LongConsumer lagCounter;

	private boolean closed;

	/** No more events will be offered: the runtime shut down. */
	private boolean finished;

	public GlobalSubscription(int capacity, long maxBytes, Clock clock, ThreadFactory threads, Runnable onClose,
			java.util.function.LongConsumer lagCounter) {
		super(threads);
		this.capacity = capacity;
		this.maxBytes = maxBytes;
		this.clock = clock;
		this.onClose = onClose;
		this.lagCounter = lagCounter;
	}

	public void offer(Event event) {
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			if (enqueue(event)) {
				this.available.signal();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Offers events in order, waking the reader once.
	 * @param events {@link Event}s, and {@link UndecodedLine}s for lines left undecoded
	 */
	public void offer(java.util.List<Object> events) {
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			boolean added = false;
			for (int i = 0; i < events.size(); i++) {
				added |= enqueue(events.get(i));
			}
			if (added) {
				this.available.signal();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Queues an event or undecoded line, or drops it and records the lag. Call under the lock. */
	private boolean enqueue(Object event) {
		JobId job = UndecodedLine.jobId(event);
		if (this.lagging.containsKey(job)) {
			this.lagCounter.accept(1);
			return false;
		}
		int cost = UndecodedLine.cost(event);
		if (this.queue.size() >= this.capacity
				|| (this.queuedBytes + cost > this.maxBytes && !this.queue.isEmpty())) {
			this.lagging.put(job, UndecodedLine.seq(event));
			this.lagCounter.accept(1);
			return false;
		}
		this.queue.add(event);
		this.queuedBytes += cost;
		return true;
	}

	@Override
	public @Nullable Event next(Duration timeout) throws InterruptedException {
		Object queued = take(timeout);
		// a line queued undecoded is decoded here, outside the lock the job's thread offers under
		return (queued != null) ? UndecodedLine.event(queued) : null;
	}

	/** The next event or undecoded line, or a lag signal, waiting for one as {@link #next} does. */
	private @Nullable Object take(Duration timeout) throws InterruptedException {
		long nanos = Durations.nanos(timeout);
		this.lock.lock();
		try {
			while (true) {
				if (this.closed) {
					return null;
				}
				Object queued = this.queue.poll();
				if (queued != null) {
					this.queuedBytes -= UndecodedLine.cost(queued);
					return queued;
				}
				if (!this.lagging.isEmpty()) {
					Iterator<Map.Entry<JobId, Long>> it = this.lagging.entrySet().iterator();
					Map.Entry<JobId, Long> first = it.next();
					it.remove();
					return new Event.Lagged(first.getKey(), first.getValue(), this.clock.instant(), 0);
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
			this.queuedBytes = 0;
			this.available.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		this.onClose.run();
	}


}
