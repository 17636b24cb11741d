package io.execra.internal;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;

import io.execra.Event;
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
final class JobEventStream extends AbstractEventStream {

	private final JobDriver driver;

	private final Runnable lagCounter;

	/** The position in the window. Guarded by {@link #reading}. */
	private final EventWindow.Reader reader;

	private final Object reading = new Object();

	private volatile boolean closed;

	private volatile boolean complete;

	JobEventStream(JobDriver driver, long afterSeq, ThreadFactory threads, Runnable lagCounter) {
		super(threads);
		this.driver = driver;
		this.reader = driver.window.reader(afterSeq);
		this.lagCounter = lagCounter;
	}

	@Override
	public @Nullable Event next(Duration timeout) throws InterruptedException {
		synchronized (this.reading) {
			long nanos = timeout.toNanos();
			while (!this.closed && !this.complete) {
				Event event = poll();
				if (event != null) {
					if (event instanceof Event.Finalized) {
						this.complete = true;
					}
					return event;
				}
				if (nanos <= 0) {
					return null;
				}
				nanos = this.driver.window.awaitAfter(this.reader.position(), nanos, () -> this.closed);
			}
			return null;
		}
	}

	/** The event after the position, a {@link Event.Lagged} if it was evicted, or {@code null} if none yet. */
	private @Nullable Event poll() {
		Event event = this.reader.next();
		if (event != null || !this.reader.missedNext()) {
			return event;
		}
		long wanted = this.reader.position() + 1;
		long first = this.reader.skipToFirst();
		this.lagCounter.run();
		return new Event.Lagged(this.driver.id, wanted, this.driver.now(), first);
	}

	@Override
	public boolean isComplete() {
		return this.closed || this.complete;
	}

	@Override
	public void close() {
		this.closed = true;
		this.driver.window.wakeAll();
	}

}
