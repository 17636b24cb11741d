package io.execra.internal.store;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.execra.JobId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer's warnings that a store lagging behind a burst of thousands of jobs would otherwise repeat thousands of
 * times: each is logged at warn level now and then, with a count, and at debug level in between.
 */
final class ThrottledWarnings {

	private static final Logger logger = LoggerFactory.getLogger(StoreWriter.class);

	static final long UNCONFIRMED_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

	/** Dropped events are warned of at the first and then at every this many. */
	static final long DROPPED_EVENTS_INTERVAL = 10_000;

	private final LongSupplier nanoTime;

	private final AtomicLong unconfirmedLoggedAt = new AtomicLong();

	private final AtomicLong unconfirmedSinceLog = new AtomicLong();

	ThrottledWarnings() {
		this(System::nanoTime);
	}

	ThrottledWarnings(LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
	}

	/**
	 * Notes that a job's terminal state was not confirmed by the store in time: warned at most every 10 s, with the
	 * number of such jobs since the last warning.
	 * @param jobId the job
	 * @param wait how long its outcome waited
	 * @param backlog what the writer still has to write
	 * @return whether this one was warned of
	 */
	boolean unconfirmed(JobId jobId, Duration wait, int backlog) {
		long count = this.unconfirmedSinceLog.incrementAndGet();
		long now = this.nanoTime.getAsLong();
		long last = this.unconfirmedLoggedAt.get();
		if ((last == 0 || now - last >= UNCONFIRMED_INTERVAL_NANOS)
				&& this.unconfirmedLoggedAt.compareAndSet(last, now)) {
			long jobs = this.unconfirmedSinceLog.getAndSet(0);
			logger.warn("Job {}: terminal state not confirmed by the store within {} ({} job(s) so far since the last"
					+ " such warning, backlog {}); it stays queued for writing", jobId, wait, jobs, backlog);
			return true;
		}
		logger.debug("Job {}: terminal state not confirmed by the store within {} ({} pending report)", jobId, wait,
				count);
		return false;
	}

	/**
	 * Notes that an event was dropped because the buffer was full: warned at the first and every 10,000th.
	 * @param droppedSoFar events dropped so far, this one included
	 * @param capacity the buffer's capacity
	 * @return whether this one was warned of
	 */
	boolean eventDropped(long droppedSoFar, int capacity) {
		if (droppedSoFar == 1 || droppedSoFar % DROPPED_EVENTS_INTERVAL == 0) {
			logger.warn("Store buffer full ({} events): {} intermediate events dropped so far; terminal states are kept",
					capacity, droppedSoFar);
			return true;
		}
		return false;
	}

}
