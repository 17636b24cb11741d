package io.execra.internal.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.execra.JobId;
import io.execra.internal.log.EventLog;
import io.execra.internal.log.LosslessReaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a job's output pumps back while its lossless readers ({@link io.execra.Delivery#LOSSLESS}) are a replay
 * window behind: the pump asks {@link #awaitRoom} before each read, and the process, its pipe full, waits in
 * {@code write(2)}. Only this job's pumps ever wait here: nothing else of the runtime takes this job's lock for long
 * nor waits for its pumps. A reader that takes nothing for its stall timeout while a pump waits is released: it no
 * longer holds the job back, and a warning says so.
 * <p>
 * The event loop asks the same without blocking ({@link #holdOff}): a stream held back is left unread, its
 * descriptor unarmed, and resumed when the readers made room (the {@link LosslessReaders#pumpWaker} hands a check to
 * the scheduler), when a stalled reader is released, or when the pumps are released or stop holding back. No I/O
 * worker ever waits for a reader, so readers that stall do not stop other jobs' output.
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

	private final Supplier<ScheduledExecutorService> scheduler;

	/** Resumes of the streams the event loop leaves unread; guarded by the lock. */
	private final List<Runnable> held = new ArrayList<>();

	/** Whether the held streams are to be resumed whatever the readers: the job ends; set with the first hold. */
	private BooleanSupplier heldReleased = () -> true;

	/** While streams are held: the slowest reader watched for a stall, its position, since when; under the lock. */
	private LosslessReaders.@Nullable Pin watched;

	private long watchedPosition;

	private long watchedSince;

	private @Nullable ScheduledFuture<?> stallCheck;

	/**
	 * @param id the job
	 * @param lock the job's lock
	 * @param log the job's event log
	 * @param events wakes the job's readers before a pump waits for them
	 * @param scheduler checks streams held back on the event loop for stalled readers
	 */
	OutputBackpressure(JobId id, ReentrantLock lock, EventLog log, EventSequencer events,
			Supplier<ScheduledExecutorService> scheduler) {
		this.scheduler = scheduler;
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
					releaseStalled(slowest);
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
	 * The event loop's {@link #awaitRoom}, which never blocks: if the job's lossless readers hold its replay window
	 * over its bounds, the stream is held back and {@code resume} runs once, later, when the slowest has taken half of
	 * what it is behind, a reader stalled for its stall timeout was released, or {@code released} says so. Before
	 * holding, wakes the job's readers. Call without the lock.
	 * @param resume goes on reading the stream; cheap, any thread
	 * @param released whether the pumps were released or no longer hold back: stop holding (the same for every call)
	 * @return whether the stream is held back
	 */
	boolean holdOff(Runnable resume, BooleanSupplier released) {
		this.lock.lock();
		try {
			long resumeAt = this.log.heldByLosslessReaders();
			if (resumeAt == 0) {
				return false;
			}
			this.events.wakeReaders();
			if (this.held.isEmpty()) {
				this.heldReleased = released;
				this.readers.startWaiting(resumeAt);
				this.waiting.incrementAndGet();
				this.waited = true;
				this.watched = null;
				this.readers.pumpWaker(this::checkHeldSoon);
			}
			this.held.add(resume);
		}
		finally {
			this.lock.unlock();
		}
		// the waker is set before the flag is read, and set before the releases wake it: one of them resumes
		checkHeld();
		return true;
	}

	private void checkHeldSoon() {
		this.scheduler.get().execute(this::checkHeld);
	}

	/** Resumes the held streams if the readers made room or the job ends; releases a stalled reader. */
	private void checkHeld() {
		List<Runnable> resumes;
		LosslessReaders.Pin stalled = null;
		this.lock.lock();
		try {
			if (this.held.isEmpty()) {
				return;
			}
			long resumeAt = this.heldReleased.getAsBoolean() ? 0 : this.log.heldByLosslessReaders();
			LosslessReaders.Pin slowest = this.readers.slowest();
			if (resumeAt != 0 && slowest != null) {
				this.readers.stopWaiting();
				this.readers.startWaiting(resumeAt);
				long now = System.nanoTime();
				if (slowest != this.watched || slowest.position() != this.watchedPosition) {
					this.watched = slowest;
					this.watchedPosition = slowest.position();
					this.watchedSince = now;
				}
				long left = slowest.stallNanos() - (now - this.watchedSince);
				if (left > 0) {
					ScheduledFuture<?> previous = this.stallCheck;
					if (previous != null) {
						previous.cancel(false);
					}
					this.stallCheck = this.scheduler.get().schedule(this::checkHeld, left, TimeUnit.NANOSECONDS);
					return;
				}
				stalled = slowest;
				resumes = List.of();
			}
			else {
				this.readers.pumpWaker(null);
				this.readers.stopWaiting();
				this.waiting.decrementAndGet();
				resumes = List.copyOf(this.held);
				this.held.clear();
				ScheduledFuture<?> previous = this.stallCheck;
				if (previous != null) {
					previous.cancel(false);
					this.stallCheck = null;
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		if (stalled != null) {
			releaseStalled(stalled);
		}
		resumes.forEach(Runnable::run);
	}

	private void releaseStalled(LosslessReaders.Pin slowest) {
		this.readers.release(slowest);
		logger.warn("Job {}: a lossless event reader took no event for {} while the job's output waited for it; it no "
				+ "longer holds the output back and may miss events (Lagged)", this.id,
				Duration.ofNanos(slowest.stallNanos()));
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
