package io.execra.internal.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

import io.execra.JobId;
import io.execra.internal.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tickets for what is submitted to the {@link StoreWriter}, and the waits for them to be durable. Each submission
 * gets the next ticket; the writer marks tickets durable in order, once their batch is written (or done with), and
 * then runs the callbacks due. A finishing job waits here for its terminal state without holding a thread
 * ({@link #whenDurableOrTimedOut}).
 */
public final class Durability {

	private static final Logger logger = LoggerFactory.getLogger(StoreWriter.class);

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition written = this.lock.newCondition();

	private final Runnable wakeWriter;

	private final ThrottledWarnings warnings;

	private final IntSupplier backlog;

	/** Callbacks of {@link #whenDurable}, by ticket. */
	private final TreeMap<Long, List<Runnable>> callbacks = new TreeMap<>();

	private long issued;

	private long durable;

	/** The highest ticket a flush waits for: the writer does not linger while it is not durable. */
	private long flushRequested;

	/**
	 * @param wakeWriter wakes a lingering writer, to write at once what something now waits for
	 * @param warnings where unconfirmed terminal states are warned of
	 * @param backlog what the writer still has to write, for the warnings
	 */
	Durability(Runnable wakeWriter, ThrottledWarnings warnings, IntSupplier backlog) {
		this.wakeWriter = wakeWriter;
		this.warnings = warnings;
		this.backlog = backlog;
	}

	/**
	 * Runs {@code then} once, when the submission with this ticket (and all before it) is durable or when
	 * {@code timeout} has passed, whichever comes first; a timeout is warned of (throttled), and what was submitted
	 * stays queued for writing. Nothing waits meanwhile, so a store that falls behind a burst of jobs does not hold
	 * a thread per finishing job; only if the scheduler has shut down does the calling thread wait.
	 * @param jobId the job whose terminal state the ticket is for
	 * @param ticket from {@link StoreWriter#submit}
	 * @param timeout how long to wait for the store
	 * @param scheduler runs the expiry
	 * @param then what to run: quick, as it may run on the writer thread
	 */
	public void whenDurableOrTimedOut(JobId jobId, long ticket, Duration timeout, ScheduledExecutorService scheduler,
			Runnable then) {
		if (isDurable(ticket)) {
			// written on the submitting thread already: no expiry to schedule, no thread to wake
			then.run();
			return;
		}
		AtomicBoolean done = new AtomicBoolean();
		ScheduledFuture<?> expiry;
		try {
			expiry = scheduler.schedule(() -> {
				if (done.compareAndSet(false, true)) {
					this.warnings.unconfirmed(jobId, timeout, this.backlog.getAsInt());
					then.run();
				}
			}, Durations.nanos(timeout), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the scheduler has shut down with the runtime: wait here instead
			if (!awaitDurable(ticket, timeout)) {
				this.warnings.unconfirmed(jobId, timeout, this.backlog.getAsInt());
			}
			then.run();
			return;
		}
		whenDurable(ticket, () -> {
			if (done.compareAndSet(false, true)) {
				expiry.cancel(false);
				then.run();
			}
		});
	}

	/**
	 * Runs a callback once the submission with this ticket (and all before it) is durable: at once on this thread if
	 * it is already, else on the writer thread right after the write. Callbacks must be quick.
	 * @param ticket from {@link StoreWriter#submit}
	 * @param callback what to run
	 */
	void whenDurable(long ticket, Runnable callback) {
		boolean durableAlready;
		this.lock.lock();
		try {
			durableAlready = this.durable >= ticket;
			if (!durableAlready) {
				this.callbacks.computeIfAbsent(ticket, (key) -> new ArrayList<>(1)).add(callback);
			}
		}
		finally {
			this.lock.unlock();
		}
		if (durableAlready) {
			callback.run();
		}
		else {
			// a lingering writer writes at once
			this.wakeWriter.run();
		}
	}

	/**
	 * Waits until the submission with this ticket (and all before it) is durable.
	 * @param ticket from {@link StoreWriter#submit}
	 * @param timeout how long to wait
	 * @return whether it was durable in time
	 */
	boolean awaitDurable(long ticket, Duration timeout) {
		long nanos = Durations.nanos(timeout);
		this.lock.lock();
		try {
			while (this.durable < ticket) {
				if (nanos <= 0) {
					return false;
				}
				nanos = this.written.awaitNanos(nanos);
			}
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits until everything submitted so far is durable, asking the writer not to linger meanwhile.
	 * @param timeout how long to wait
	 * @return whether it was durable in time
	 */
	boolean flush(Duration timeout) {
		long ticket;
		boolean wake = false;
		this.lock.lock();
		try {
			ticket = this.issued;
			if (ticket > this.flushRequested) {
				this.flushRequested = ticket;
				wake = true;
			}
		}
		finally {
			this.lock.unlock();
		}
		if (wake) {
			this.wakeWriter.run();
		}
		return awaitDurable(ticket, timeout);
	}

	/** @return a new ticket, greater than every one before; called under the writer's lock, in submission order */
	long issue() {
		this.lock.lock();
		try {
			return ++this.issued;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** @return whether a flush or a callback waits for a ticket not yet durable: the writer should not linger */
	boolean isAwaited() {
		this.lock.lock();
		try {
			return this.flushRequested > this.durable || !this.callbacks.isEmpty();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** @return whether every ticket issued is durable */
	boolean allDurable() {
		this.lock.lock();
		try {
			return this.durable == this.issued;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** @return whether every ticket issued before this one is durable */
	boolean durableBefore(long ticket) {
		return isDurable(ticket - 1);
	}

	private boolean isDurable(long ticket) {
		this.lock.lock();
		try {
			return this.durable >= ticket;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Marks this ticket and all before it durable: wakes who waits for them and runs their callbacks, on this thread.
	 * @param ticket the ticket
	 */
	void markDurable(long ticket) {
		run(advance(ticket));
	}

	/**
	 * Marks this ticket and all before it durable and wakes who waits for them, leaving their callbacks to
	 * {@link #run}: a caller holding a lock runs them once it let go of it.
	 * @param ticket the ticket
	 * @return the callbacks now due
	 */
	List<Runnable> advance(long ticket) {
		List<Runnable> due = new ArrayList<>();
		this.lock.lock();
		try {
			this.durable = Math.max(this.durable, ticket);
			this.written.signalAll();
			Map<Long, List<Runnable>> head = this.callbacks.headMap(this.durable, true);
			head.values().forEach(due::addAll);
			head.clear();
		}
		finally {
			this.lock.unlock();
		}
		return due;
	}

	/**
	 * Runs callbacks made due by {@link #advance}; one that fails is logged, the others still run.
	 * @param due the callbacks
	 */
	void run(List<Runnable> due) {
		for (Runnable callback : due) {
			try {
				callback.run();
			}
			catch (RuntimeException | Error ex) {
				logger.error("A callback on a durable store write failed", ex);
			}
		}
	}

}
