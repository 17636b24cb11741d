package io.execra;

import java.time.Duration;
import java.util.concurrent.Flow;

import org.jspecify.annotations.Nullable;

/**
 * A subscription to events: of one job (replayed from its first retained event, then live) or of all jobs (live
 * from now on). Reading is pull-based, so a slow reader never slows a job down; a reader that falls out of the
 * retained window receives an {@link Event.Lagged} signal naming the first missed {@code seq} — never a silent
 * gap.
 * <p>
 * Also usable as a {@link Flow.Publisher}: {@link #subscribe(Flow.Subscriber)} delivers on a thread of its own,
 * honouring demand. Close the stream to release it.
 */
public interface EventStream extends AutoCloseable, Flow.Publisher<Event> {

	/**
	 * Waits for the next event.
	 * @param timeout how long to wait at most; one longer than about 292 years waits without end
	 * @return the event, or {@code null} on timeout or when the stream is closed or complete
	 * @throws InterruptedException if the thread is interrupted while waiting
	 */
	@Nullable Event next(Duration timeout) throws InterruptedException;

	/**
	 * Whether no more events will come: closed, or (for a job stream) the job's {@link Event.Finalized} was read.
	 * @return {@code true} when complete
	 */
	boolean isComplete();

	/**
	 * Stops the subscription; pending {@link #next} calls return {@code null}.
	 */
	@Override
	void close();

}
