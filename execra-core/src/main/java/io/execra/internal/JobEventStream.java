package io.execra.internal;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;

import io.execra.Event;
import org.jspecify.annotations.Nullable;

/**
 * The events of one job, read with a cursor over the job's replay window: replay from the first retained event,
 * then live. The writer never waits for this reader. A reader that falls out of the window gets one
 * {@link Event.Lagged} naming the first missed seq and the seq it resumes at.
 */
final class JobEventStream extends AbstractEventStream {

	private final JobDriver driver;

	private final Runnable lagCounter;

	private long cursor;

	private volatile boolean closed;

	private volatile boolean complete;

	JobEventStream(JobDriver driver, long afterSeq, ThreadFactory threads, Runnable lagCounter) {
		super(threads);
		this.driver = driver;
		this.cursor = afterSeq;
		this.lagCounter = lagCounter;
	}

	@Override
	public @Nullable Event next(Duration timeout) throws InterruptedException {
		if (this.closed || this.complete) {
			return null;
		}
		long nanos = timeout.toNanos();
		this.driver.lock.lock();
		try {
			while (true) {
				if (this.closed) {
					return null;
				}
				long wanted = this.cursor + 1;
				long first = this.driver.window.firstSeq();
				if (wanted < first) {
					this.cursor = first - 1;
					this.lagCounter.run();
					return new Event.Lagged(this.driver.id, wanted, this.driver.now(), first);
				}
				Event event = this.driver.window.get(wanted);
				if (event != null) {
					this.cursor = wanted;
					if (event instanceof Event.Finalized) {
						this.complete = true;
					}
					return event;
				}
				if (nanos <= 0) {
					return null;
				}
				nanos = this.driver.changed.awaitNanos(nanos);
			}
		}
		finally {
			this.driver.lock.unlock();
		}
	}

	@Override
	public boolean isComplete() {
		return this.closed || this.complete;
	}

	@Override
	public void close() {
		this.closed = true;
		this.driver.lock.lock();
		try {
			this.driver.changed.signalAll();
		}
		finally {
			this.driver.lock.unlock();
		}
	}

}
