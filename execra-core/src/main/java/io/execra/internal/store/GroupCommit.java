package io.execra.internal.store;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * How long the writer waits for more work before a write, so that a slow store gets batches that grow with the load
 * rather than one job's worth each. It waits about as long as its last write took, up to a bound, so a slow store is
 * busy at most about half the time; a store that writes faster than {@link #DEFAULT_MIN_LINGER_NANOS} is not waited
 * for. Used by the writer thread only.
 */
final class GroupCommit {

	static final long DEFAULT_MAX_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	static final long DEFAULT_MIN_LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

	/** Events already queued that make a batch worth writing without waiting for more. */
	static final int FULL_BATCH = 100;

	private final long maxLingerNanos;

	private final long minLingerNanos;

	/** How long the next write waits for more work. */
	private long lingerNanos;

	GroupCommit() {
		this(DEFAULT_MAX_LINGER_NANOS, DEFAULT_MIN_LINGER_NANOS);
	}

	GroupCommit(long maxLingerNanos, long minLingerNanos) {
		this.maxLingerNanos = maxLingerNanos;
		this.minLingerNanos = minLingerNanos;
	}

	/**
	 * Records how long a write that succeeded took.
	 * @param tookNanos its duration
	 */
	void written(long tookNanos) {
		this.lingerNanos = (tookNanos < this.minLingerNanos) ? 0 : Math.min(tookNanos, this.maxLingerNanos);
	}

	/** @return how long the next write waits for more work */
	long lingerNanos() {
		return this.lingerNanos;
	}

	/**
	 * Waits on {@code work} for more work to write with what is queued, unless something waits for the write (with
	 * few jobs at a time, the next one starts only when the last is finalized, so lingering would only delay it) or
	 * a full batch is queued. Call holding the lock of {@code work}; whoever adds work or starts waiting for it
	 * signals {@code work}.
	 * @param work the condition signalled on new work
	 * @param writeNow whether something waits for the write, or the writer stops
	 * @param queuedEvents how many events are queued
	 * @throws InterruptedException if interrupted
	 */
	void linger(Condition work, BooleanSupplier writeNow, IntSupplier queuedEvents) throws InterruptedException {
		long deadline = System.nanoTime() + this.lingerNanos;
		while (this.lingerNanos > 0 && !writeNow.getAsBoolean() && queuedEvents.getAsInt() < FULL_BATCH) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return;
			}
			work.awaitNanos(left);
		}
	}

}
