package io.execra.internal.delivery;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadFactory;

import io.execra.Delivery;
import io.execra.Event;
import io.execra.EventVisitor;
import io.execra.JobId;
import io.execra.internal.Durations;
import io.execra.internal.log.EventLog;
import io.execra.internal.log.EventLogReader;
import io.execra.internal.log.LineView;
import org.jspecify.annotations.Nullable;

/**
 * The events of one job, read with a cursor over the job's replay window: replay from the first retained event,
 * then live. The writer never waits for this reader. A reader that falls out of the window gets one
 * {@link Event.Lagged} naming the first missed seq and the seq it resumes at.
 * <p>
 * Events are read from the window by seq without taking the job's lock, so a reader keeping up with a fast job
 * neither slows its writer nor waits for it to finish a batch; only a reader that has caught up waits, until the
 * writer signals the next batch.
 * <p>
 * A stream with {@link Delivery.Lossless} delivery reads with a lossless reader of the log, which the job's pumps
 * wait for (see {@link io.execra.internal.log.LosslessReaders}). {@link #nextBatch} takes events from the log straight
 * into the array of the list it returns.
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

	/** Events {@link #nextBatch} returns at most, whatever it is asked: the size of the array it fills. */
	private static final int MAX_BATCH = 8192;

	/** Events taken from the log and not yet returned: a fresh array at each visit. Guarded by {@link #polling}. */
	private Object @Nullable [] taken;

	private int takenNext;

	private int takenCount;

	/** An array a visit left empty, for the next. Guarded by {@link #polling}. */
	private Object @Nullable [] spare;

	/** The thread running a visitor, while it does. Written by that thread only (see {@link #takeFlag}). */
	private @Nullable Thread visiting;

	/** The view {@link #nextBatch(int, Duration, EventVisitor)} moves from line to line. Guarded by {@link #polling}. */
	private final LineView view = new LineView();

	private volatile boolean closed;

	private volatile boolean complete;

	public JobEventStream(JobId id, EventLog log, Clock clock, long afterSeq, Delivery delivery,
			ThreadFactory threads, Runnable lagCounter) {
		super(threads);
		this.id = id;
		this.log = log;
		this.clock = clock;
		this.reader = (delivery instanceof Delivery.Lossless lossless)
				? log.reader(afterSeq, Durations.nanos(lossless.stallTimeout())) : log.reader(afterSeq);
		this.lagCounter = lagCounter;
	}

	@Override
	public @Nullable Event next(Duration timeout) throws InterruptedException {
		long nanos = Durations.nanos(timeout);
		while (!this.closed && !this.complete) {
			Event event;
			long position;
			takeFlag();
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

	@Override
	public List<Event> nextBatch(int max, Duration timeout) throws InterruptedException {
		if (max <= 0) {
			throw new IllegalArgumentException("'max' must be positive but was " + max);
		}
		long nanos = Durations.nanos(timeout);
		while (!this.closed && !this.complete) {
			Event[] batch = null;
			int count = 0;
			long position;
			takeFlag();
			try {
				long ready = (this.takenCount - this.takenNext) + this.reader.ready();
				if (!this.complete && ready > 0) {
					batch = new Event[(int) Math.min(Math.min(max, MAX_BATCH), ready)];
					count = drain(batch);
					if (count > 0 && batch[count - 1] instanceof Event.Finalized) {
						this.complete = true;
						this.reader.close();
					}
				}
				position = this.reader.position();
			}
			finally {
				POLLING.setRelease(this, 0);
			}
			if (count > 0) {
				List<Event> events = Arrays.asList(batch);
				return Collections.unmodifiableList((count == batch.length) ? events : events.subList(0, count));
			}
			if (nanos <= 0) {
				return List.of();
			}
			nanos = this.log.awaitAfter(position, nanos, () -> this.closed || this.complete);
		}
		return List.of();
	}

	@Override
	public int nextBatch(int max, Duration timeout, EventVisitor visitor) throws InterruptedException {
		if (max <= 0) {
			throw new IllegalArgumentException("'max' must be positive but was " + max);
		}
		if (visitor == null) {
			throw new IllegalArgumentException("'visitor' must not be null");
		}
		long nanos = Durations.nanos(timeout);
		while (!this.closed && !this.complete) {
			int count = 0;
			long position;
			takeFlag();
			try {
				if (!this.complete) {
					this.visiting = Thread.currentThread();
					count = visit(visitor, Math.min(max, MAX_BATCH));
				}
				position = this.reader.position();
			}
			finally {
				this.visiting = null;
				POLLING.setRelease(this, 0);
			}
			if (count > 0) {
				return count;
			}
			if (nanos <= 0) {
				return 0;
			}
			nanos = this.log.awaitAfter(position, nanos, () -> this.closed || this.complete);
		}
		return 0;
	}

	/**
	 * Takes the {@link #polling} flag, waiting while another thread holds it.
	 * @throws IllegalStateException if this thread holds it, visiting: the visitor read its own stream
	 */
	private void takeFlag() {
		while (!POLLING.compareAndSet(this, 0, 1)) {
			// this thread's own write, if it is the one visiting: no other thread's value can be its own
			if (this.visiting == Thread.currentThread()) {
				throw new IllegalStateException("An EventVisitor cannot read the stream it is visiting for");
			}
			Thread.yield();
		}
	}

	/**
	 * Hands a visitor the events taken earlier and not yet returned, then those of the log, or the
	 * {@link Event.Lagged} for those evicted; marks the stream complete at the job's {@link Event.Finalized}.
	 * @return how many
	 */
	private int visit(EventVisitor visitor, int max) {
		int count = 0;
		while (count < max && this.takenNext < this.takenCount && !this.complete) {
			Event event = (Event) this.taken[this.takenNext++];
			count++;
			if (event instanceof Event.OutputAppended line) {
				visitor.onLine(this.view.of(line));
			}
			else {
				if (event instanceof Event.Finalized) {
					completed();
				}
				visitor.onEvent(event);
			}
		}
		if (count < max && !this.complete) {
			int more;
			try {
				more = this.reader.visit(visitor, this.view, max - count);
			}
			finally {
				if (this.reader.tookFinalized()) {
					completed();
				}
			}
			if (more == 0 && count == 0 && this.reader.missedNext()) {
				visitor.onEvent(lagged());
				return 1;
			}
			count += more;
		}
		return count;
	}

	/** The job's {@link Event.Finalized} was taken: nothing more will come. */
	private void completed() {
		this.complete = true;
		this.reader.close();
	}

	/**
	 * Fills an array with the events taken earlier and not yet returned, then straight from the log, or with the
	 * {@link Event.Lagged} for those evicted.
	 * @return how many
	 */
	private int drain(Event[] into) {
		int count = 0;
		while (count < into.length && this.takenNext < this.takenCount) {
			into[count++] = (Event) this.taken[this.takenNext++];
		}
		if (count < into.length) {
			int more = this.reader.take(into, count);
			if (more == 0 && count == 0 && this.reader.missedNext()) {
				into[0] = lagged();
				return 1;
			}
			count += more;
		}
		return count;
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
			batch[0] = lagged();
			count = 1;
		}
		this.spare = null;
		this.taken = batch;
		this.takenNext = 0;
		this.takenCount = count;
		return true;
	}

	/** The {@link Event.Lagged} for the events evicted after the position, which moves to the first retained. */
	private Event.Lagged lagged() {
		long wanted = this.reader.position() + 1;
		long first = this.reader.skipToFirst();
		this.lagCounter.run();
		return new Event.Lagged(this.id, wanted, this.clock.instant(), first);
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
