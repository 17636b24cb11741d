package io.execra.internal;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The wait of a reader that polls the store between two reads: it ends when {@link #wake() woken} (the database
 * signalled a write) and at the latest after the poll interval, should a signal be missed. A wake while nobody waits
 * ends the next wait at once, so a write signalled between a read and the wait that follows it is never slept
 * through. Thread-safe.
 */
public final class PollWait {

	private final long pollNanos;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition wakes = this.lock.newCondition();

	/** Guarded by {@link #lock}: a wake came since the last wait. */
	private boolean woken;

	/**
	 * @param poll the longest wait: how often the store is read without a signal
	 */
	public PollWait(Duration poll) {
		this.pollNanos = Durations.nanos(poll);
	}

	/**
	 * Ends the wait in progress, or the next one if none is. Returns at once, from any thread.
	 */
	public void wake() {
		this.lock.lock();
		try {
			this.woken = true;
			this.wakes.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits until woken or the poll interval passes; returns at once if woken since the last wait.
	 * @throws InterruptedException if interrupted while waiting
	 */
	public void await() throws InterruptedException {
		await(Long.MAX_VALUE);
	}

	/**
	 * Waits until woken, the poll interval passes or {@code maxNanos} pass, whichever is first; returns at once if
	 * woken since the last wait.
	 * @param maxNanos the longest wait the caller has time for, in nanoseconds
	 * @throws InterruptedException if interrupted while waiting
	 */
	public void await(long maxNanos) throws InterruptedException {
		this.lock.lock();
		try {
			if (!this.woken) {
				this.wakes.awaitNanos(Math.min(maxNanos, this.pollNanos));
			}
			this.woken = false;
		}
		finally {
			this.lock.unlock();
		}
	}

}
