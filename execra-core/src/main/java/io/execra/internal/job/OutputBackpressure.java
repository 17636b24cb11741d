package io.execra.internal.job;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import io.execra.JobId;
import io.execra.internal.log.EventLog;
import io.execra.internal.log.LosslessReaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a job's output pumps back while its lossless readers ({@link io.execra.Delivery#LOSSLESS}) are a replay
 * window behind: the pump asks {@link #awaitRoom} before each read, and the process, its pipe full, waits in
 * {@code write(2)}. Only this job's pumps ever wait here: nothing else of the runtime takes this job's lock for long
 * nor waits for its pumps. A reader that takes nothing for its stall timeout while a pump waits is released: it no
 * longer holds the job back, and a warning says so.
 * <p>
 * An event loop would ask the same without blocking: {@link EventLog#heldByLosslessReaders()} under the job's lock
 * before reading a job's pipes, and while it holds, leave them unread until {@link LosslessReaders} wakes it.
 */
final class OutputBackpressure {

	private static final Logger logger = LoggerFactory.getLogger(OutputBackpressure.class);

	private final JobId id;

	private final ReentrantLock lock;

	private final EventLog log;

	private final LosslessReaders readers;

	private final EventSequencer events;

	/** Pumps waiting now. */
	private final AtomicInteger waiting = new AtomicInteger();

	/** Set when a pump waits, cleared by {@link #waitedSinceAsked()}. */
	private volatile boolean waited;

	/**
	 * @param id the job
	 * @param lock the job's lock
	 * @param log the job's event log
	 * @param events wakes the job's readers before a pump waits for them
	 */
	OutputBackpressure(JobId id, ReentrantLock lock, EventLog log, EventSequencer events) {
		this.id = id;
		this.lock = lock;
		this.log = log;
		this.readers = log.losslessReaders();
		this.events = events;
	}

	/** @return whether a lossless reader may hold the pumps back: one volatile load, asked before each read */
	boolean engaged() {
		return this.readers.any();
	}

	/**
	 * Waits while the job's lossless readers hold its replay window over its bounds, until the slowest has taken
	 * half of what it is behind; returns at once otherwise. Before waiting, wakes the job's readers, so that none
	 * waits for events the pump has not woken it for. Call without the lock.
	 * @param released whether the pumps were released (the job is finalizing): stop waiting
	 * @return whether it waited, having woken the readers
	 */
	boolean awaitRoom(BooleanSupplier released) {
		boolean waited = false;
		LosslessReaders.Pin watched = null;
		long watchedPosition = 0;
		long since = 0;
		while (!released.getAsBoolean()) {
			this.lock.lock();
			try {
				long resumeAt = this.log.heldByLosslessReaders();
				if (resumeAt == 0) {
					return waited;
				}
				this.events.wakeReaders();
				this.readers.startWaiting(resumeAt);
				this.waiting.incrementAndGet();
				this.waited = true;
			}
			finally {
				this.lock.unlock();
			}
			waited = true;
			try {
				LosslessReaders.Pin slowest = this.readers.slowest();
				if (slowest == null) {
					continue;
				}
				long now = System.nanoTime();
				if (slowest != watched || slowest.position() != watchedPosition) {
					watched = slowest;
					watchedPosition = slowest.position();
					since = now;
				}
				long left = slowest.stallNanos() - (now - since);
				if (left <= 0) {
					this.readers.release(slowest);
					logger.warn("Job {}: a lossless event reader took no event for {} while the job's output waited "
							+ "for it; it no longer holds the output back and may miss events (Lagged)", this.id,
							Duration.ofNanos(slowest.stallNanos()));
					continue;
				}
				this.readers.awaitProgress(left, released);
			}
			catch (InterruptedException ex) {
				// the pump goes on reading: an interrupted pump must not hang its job
				Thread.currentThread().interrupt();
				return waited;
			}
			finally {
				this.lock.lock();
				try {
					this.readers.stopWaiting();
					this.waiting.decrementAndGet();
				}
				finally {
					this.lock.unlock();
				}
			}
		}
		return waited;
	}

	/**
	 * Whether a pump waited here since the last call, or waits now. Any thread.
	 * @return {@code true} if one did
	 */
	boolean waitedSinceAsked() {
		boolean waited = this.waited || this.waiting.get() > 0;
		this.waited = false;
		return waited;
	}

	/**
	 * Lets the job's lossless readers go for good, as the job is being stopped: the pumps no longer wait, and the
	 * window no longer keeps what the readers have not taken, so a process that ignores TERM and goes on printing
	 * during the cancel grace costs no more memory than without them.
	 */
	void releaseReaders() {
		this.readers.releaseAll();
	}

	/** Wakes pumps waiting here, so that each checks whether it was released. */
	void wake() {
		this.readers.wakePumps();
	}

}
