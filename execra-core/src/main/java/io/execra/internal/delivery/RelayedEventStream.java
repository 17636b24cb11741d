package io.execra.internal.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

import io.execra.Event;
import io.execra.JobId;
import io.execra.internal.PollWait;
import io.execra.store.JobStore;
import org.jspecify.annotations.Nullable;

/**
 * The events of a job that runs on another node, relayed through the store: read after the last seq delivered,
 * whenever the database signals that the job's events were written and at least every poll interval, until its
 * {@code Finalized}. The node that runs the job writes every event, output lines included, in seq order, so a gap
 * is a real loss (events the writer dropped while the store fell behind): it is reported as one
 * {@link Event.Lagged} and the stream goes on after it.
 */
public final class RelayedEventStream extends AbstractEventStream {

	private static final int PAGE = 1000;

	private final JobId id;

	private final JobStore store;

	private final Clock clock;

	private final PollWait written;

	private final Runnable unregister;

	private final ArrayDeque<Event> buffer = new ArrayDeque<>();

	/** Guarded by this stream's monitor, as are the buffer and {@link #finished}. */
	private long lastSeq;

	private boolean finished;

	private volatile boolean closed;

	/**
	 * @param id the job
	 * @param store the store the job's node writes to
	 * @param afterSeq the seq the stream starts after
	 * @param poll how often the store is read without a signal
	 * @param clock the clock of lag signals
	 * @param threads threads that deliver to {@code Flow.Subscriber}s
	 * @param register registers a wake-up for the job's written events, returning what unregisters it
	 */
	public RelayedEventStream(JobId id, JobStore store, long afterSeq, Duration poll, Clock clock,
			ThreadFactory threads, Function<Runnable, Runnable> register) {
		super(threads);
		this.id = id;
		this.store = store;
		this.lastSeq = afterSeq;
		this.clock = clock;
		this.written = new PollWait(poll);
		this.unregister = register.apply(this.written::wake);
	}

	@Override
	public synchronized @Nullable Event next(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!this.closed) {
			Event next = this.buffer.poll();
			if (next != null) {
				return next;
			}
			if (this.finished) {
				return null;
			}
			read();
			if (!this.buffer.isEmpty()) {
				continue;
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return null;
			}
			this.written.await(left);
		}
		return null;
	}

	/** Reads the events after the last one delivered. Call holding this stream's monitor. */
	private void read() {
		List<Event> events = this.store.events(this.id, this.lastSeq, PAGE);
		for (Event event : events) {
			if (event.seq() <= this.lastSeq) {
				continue;
			}
			if (event.seq() > this.lastSeq + 1) {
				this.buffer.add(new Event.Lagged(this.id, this.lastSeq + 1, this.clock.instant(), event.seq()));
			}
			this.buffer.add(event);
			this.lastSeq = event.seq();
			if (event instanceof Event.Finalized) {
				this.finished = true;
				this.unregister.run();
				return;
			}
		}
	}

	@Override
	public synchronized boolean isComplete() {
		return this.closed || (this.finished && this.buffer.isEmpty());
	}

	@Override
	public void close() {
		this.closed = true;
		this.unregister.run();
		this.written.wake();
	}

}
