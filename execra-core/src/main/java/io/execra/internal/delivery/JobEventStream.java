package io.execra.internal.delivery;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;

import io.execra.Event;
import io.execra.JobId;
import io.execra.internal.Durations;
import io.execra.internal.log.EventLog;
import io.execra.internal.log.EventLogReader;
import org.jspecify.annotations.Nullable;

/**
 * The events of one job, read with a cursor over the job's replay window: replay from the first retained event,
 * then live. The writer never waits for this reader. A reader that falls out of the window gets one
 * {@link Event.Lagged} naming the first missed seq and the seq it resumes at.
 * <p>
 * Events are read from the window by seq without taking the job's lock, so a reader keeping up with a fast job
 * neither slows its writer nor waits for it to finish a batch; only a reader that has caught up waits, until the
 * writer signals the next batch.
 */
public final class JobEventStream extends AbstractEventStream {

	private static final VarHandle POLLING;

	static {
		try {
			POLLING = MethodHandles.lookup().findVarHandle(JobEventStream.class, "polling", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final JobId id;

	private final EventLog log;

	private final Clock clock;

	private final Runnable lagCounter;

	/** The position in the log: the last event taken. Guarded by {@link #polling}. */
	private final EventLogReader reader;

	/**
	 * 1 while a thread takes an event from the reader. A flag taken with one atomic operation and released with a
	 * plain store costs a reader half what a monitor does (two atomic operations) at every event; it is never held
	 * while waiting, so a second thread calling {@link #next} at once only spins for the length of a poll.
	 */
	@SuppressWarnings("unused")
	private volatile int polling;

	/** Events taken at most in one visit to the log. */
	private static final int TAKE = 64;

	/** Events taken from the log and not yet returned: a fresh array at each visit. Guarded by {@link #polling}. */
	private Object @Nullable [] taken;

	private int takenNext;

	private int takenCount;

	/** An array a visit left empty, for the next. Guarded by {@link #polling}. */
	private Object @Nullable [] spare;

	private volatile boolean closed;

	private volatile boolean complete;

	public JobEventStream(JobId id, EventLog log, Clock clock, long afterSeq, ThreadFactory threads,
			Runnable lagCounter) {
		super(threads);
		this.id = id;
		this.log = log;
		this.clock = clock;
		this.reader = log.reader(afterSeq);
		this.lagCounter = lagCounter;
	}

	@Override
	public @Nullable Event next(Duration timeout) throws InterruptedException {
		long nanos = Durations.nanos(timeout);
		while (!this.closed && !this.complete) {
			Event event;
			long position;
			while (!POLLING.compareAndSet(this, 0, 1)) {
				Thread.yield();
			}
			try {
				event = this.complete ? null : poll();
				if (event instanceof Event.Finalized) {
					this.complete = true;
					this.reader.close();
				}
				position = this.reader.position();
			}
			finally {
				POLLING.setRelease(this, 0);
			}
			if (event != null) {
				return event;
			}
			if (nanos <= 0) {
				return null;
			}
			nanos = this.log.awaitAfter(position, nanos, () -> this.closed || this.complete);
		}
		return null;
	}

	/** The next event taken from the log, a {@link Event.Lagged} if one was evicted, or {@code null} if none yet. */
	private @Nullable Event poll() {
		if (this.takenNext == this.takenCount && !take()) {
			return null;
		}
		return (Event) this.taken[this.takenNext++];
	}

	/**
	 * Takes the events the log has after the position, up to {@value #TAKE}, or the {@link Event.Lagged} for those
	 * evicted. Taking them in one go, rather than one per call, lets the loads of events the job's thread just
	 * wrote overlap: the flag that guards each call is an atomic operation, which waits for every load before it.
	 * Storing into a fresh array costs no G1 card-marking fence; one that got nothing is kept for the next visit.
	 * @return whether any was taken
	 */
	private boolean take() {
		Object[] batch = this.spare;
		if (batch == null) {
			batch = new Object[TAKE];
		}
		int count = this.reader.take(batch);
		if (count == 0) {
			if (!this.reader.missedNext()) {
				this.spare = batch;
				return false;
			}
			long wanted = this.reader.position() + 1;
			long first = this.reader.skipToFirst();
			this.lagCounter.run();
			batch[0] = new Event.Lagged(this.id, wanted, this.clock.instant(), first);
			count = 1;
		}
		this.spare = null;
		this.taken = batch;
		this.takenNext = 0;
		this.takenCount = count;
		return true;
	}

	@Override
	public boolean isComplete() {
		return this.closed || this.complete;
	}

	@Override
	public void close() {
		this.closed = true;
		this.reader.close();
		this.log.wakeAll();
	}

}
