package io.execra.internal;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;

import io.execra.Event;
import org.jspecify.annotations.Nullable;

/**
 * The events of one job, read with a cursor over the job's replay window: replay from the first retained event,
 * then live. The writer never waits for this reader. A reader that falls out of the window gets one
 * {@link Event.Lagged} naming the first missed seq and the seq it resumes at.
 * <p>
 * Each visit under the job's lock takes every retained event after the cursor (up to {@value #PREFETCH}), so a
 * reader keeping up with a fast job contends for the lock once per batch, not once per event.
 */
final class JobEventStream extends AbstractEventStream {

	private final JobDriver driver;

	private static final int PREFETCH = 1024;

	private final Runnable lagCounter;

	/** Seq of the last event taken from the window (returned or prefetched). Guarded by the job's lock. */
	private long cursor;

	/** Events taken from the window but not returned yet. Guarded by {@link #reading}. */
	private final Event[] prefetched = new Event[PREFETCH];

	private int prefetchedNext;

	private int prefetchedCount;

	private final Object reading = new Object();

	private volatile boolean closed;

	private volatile boolean complete;

	JobEventStream(JobDriver driver, long afterSeq, ThreadFactory threads, Runnable lagCounter) {
		super(threads);
		this.driver = driver;
		this.cursor = afterSeq;
		this.lagCounter = lagCounter;
	}

	@Override
	public @Nullable Event next(Duration timeout) throws InterruptedException {
		synchronized (this.reading) {
			if (this.closed || this.complete) {
				return null;
			}
			if (this.prefetchedNext < this.prefetchedCount) {
				Event event = this.prefetched[this.prefetchedNext];
				this.prefetched[this.prefetchedNext++] = null;
				if (event instanceof Event.Finalized) {
					this.complete = true;
				}
				return event;
			}
			return take(timeout);
		}
	}

	private @Nullable Event take(Duration timeout) throws InterruptedException {
		long nanos = timeout.toNanos();
		this.driver.lock.lock();
		try {
			while (true) {
				if (this.closed) {
					return null;
				}
				long wanted = this.cursor + 1;
				long first = this.driver.window.firstSeq();
				if (wanted < first) {
					this.cursor = first - 1;
					this.lagCounter.run();
					return new Event.Lagged(this.driver.id, wanted, this.driver.now(), first);
				}
				Event event = this.driver.window.get(wanted);
				if (event != null) {
					this.cursor = wanted;
					if (event instanceof Event.Finalized) {
						this.complete = true;
						return event;
					}
					prefetch();
					return event;
				}
				if (nanos <= 0) {
					return null;
				}
				nanos = this.driver.changed.awaitNanos(nanos);
			}
		}
		finally {
			this.driver.lock.unlock();
		}
	}

	/** Takes the retained events after the cursor into the prefetch buffer. Call under the job's lock. */
	private void prefetch() {
		int count = 0;
		while (count < PREFETCH) {
			Event next = this.driver.window.get(this.cursor + 1);
			if (next == null) {
				break;
			}
			this.prefetched[count++] = next;
			this.cursor++;
			if (next instanceof Event.Finalized) {
				break;
			}
		}
		this.prefetchedNext = 0;
		this.prefetchedCount = count;
	}

	@Override
	public boolean isComplete() {
		return this.closed || this.complete;
	}

	@Override
	public void close() {
		this.closed = true;
		this.driver.lock.lock();
		try {
			this.driver.changed.signalAll();
		}
		finally {
			this.driver.lock.unlock();
		}
	}

}
