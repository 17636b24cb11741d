package io.execra.internal.log;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The readers of a job's {@link EventLog} that have caught up and wait for its next batch, and the writer waking
 * them: once per batch, which costs a fence and a read when nobody waits.
 */
final class EventWaiters {

	private final AtomicInteger waiters = new AtomicInteger();

	private final ReentrantLock waiting = new ReentrantLock();

	private final Condition published = this.waiting.newCondition();

	/**
	 * Wakes the waiting readers, after a batch was published. Writer only.
	 */
	void signal() {
		VarHandle.fullFence();
		if (this.waiters.get() > 0) {
			wakeAll();
		}
	}

	/**
	 * Wakes every waiting reader, so that each checks whether it should stop waiting.
	 */
	void wakeAll() {
		this.waiting.lock();
		try {
			this.published.signalAll();
		}
		finally {
			this.waiting.unlock();
		}
	}

	/**
	 * Waits until {@code ready} or {@code stop} says so, or the time is up; wakes up at {@link #signal()} and
	 * {@link #wakeAll()}.
	 * @param ready whether what the reader waits for was published
	 * @param nanos the longest wait
	 * @param stop checked before each wait
	 * @return the time left
	 * @throws InterruptedException if interrupted while waiting
	 */
	long await(BooleanSupplier ready, long nanos, BooleanSupplier stop) throws InterruptedException {
		// registered before ready is checked, so that a writer publishing after the check sees the waiter
		this.waiters.incrementAndGet();
		this.waiting.lock();
		try {
			while (nanos > 0 && !ready.getAsBoolean() && !stop.getAsBoolean()) {
				nanos = this.published.awaitNanos(nanos);
			}
			return nanos;
		}
		finally {
			this.waiting.unlock();
			this.waiters.decrementAndGet();
		}
	}

}
