package io.execra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

import org.jspecify.annotations.Nullable;

/**
 * A subscription to events: of one job (replayed from its first retained event, then live) or of all jobs (live
 * from now on). Reading is pull-based, so a slow reader never slows a job down; a reader that falls out of the
 * retained window receives an {@link Event.Lagged} signal naming the first missed {@code seq} — never a silent
 * gap.
 * <p>
 * A reader that wants every event of a job asks for {@link Delivery#LOSSLESS} ({@link JobHandle#events(Delivery)});
 * one that reads many, such as the output lines of a chatty tool, takes them a batch at a time with
 * {@link #nextBatch(int, Duration)}.
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
	 * Waits for the next event, then takes the events that follow it without waiting, up to {@code max}: the same
	 * events, in the same order, as that many calls of {@link #next(Duration)}, at a fraction of their cost per
	 * event for the streams of the runtimes {@link ExecraRuntimeBuilder} builds, which take them from the job's log
	 * in one go.
	 * <pre>{@code
	 * try (EventStream events = handle.events(Delivery.LOSSLESS)) {
	 *     while (!events.isComplete()) {
	 *         for (Event event : events.nextBatch(1024, Duration.ofSeconds(1))) {
	 *             if (event instanceof Event.OutputAppended line) { ... }
	 *         }
	 *     }
	 * }
	 * }</pre>
	 * The default implementation calls {@link #next(Duration)} with the timeout, then with a zero timeout.
	 * @param max the most events to return, positive; fewer may be returned even when more are ready
	 * @param timeout how long to wait for the first event at most; one longer than about 292 years waits without
	 * end
	 * @return the events, in order; empty on timeout or when the stream is closed or complete. Not to be modified.
	 * @throws IllegalArgumentException if {@code max} is not positive
	 * @throws InterruptedException if the thread is interrupted while waiting
	 */
	default List<Event> nextBatch(int max, Duration timeout) throws InterruptedException {
		if (max <= 0) {
			throw new IllegalArgumentException("'max' must be positive but was " + max);
		}
		Event first = next(timeout);
		if (first == null) {
			return List.of();
		}
		List<Event> batch = new ArrayList<>(Math.min(max, 64));
		batch.add(first);
		while (batch.size() < max) {
			Event event = next(Duration.ZERO);
			if (event == null) {
				break;
			}
			batch.add(event);
		}
		return batch;
	}

	/**
	 * Takes events like {@link #nextBatch(int, Duration)}, handing them to a visitor instead of returning them: each
	 * output line as an {@link OutputLine} view, every other event as it is. For the job streams of the runtimes
	 * {@link ExecraRuntimeBuilder} builds, a line kept as the bytes its pipe gave (as lines are, unless an
	 * interpreter or a secret's masking needed their text) reaches the visitor with no event object and, if it is
	 * ASCII, no string: the cheapest way to read every line of a chatty tool, with {@link Delivery#LOSSLESS}.
	 * <p>
	 * The visitor runs on the calling thread, before this method returns; another thread reading the same stream
	 * meanwhile waits for it, and the visitor itself must not read it (the job streams of the runtimes
	 * {@link ExecraRuntimeBuilder} builds refuse with an {@link IllegalStateException}). An event whose visit throws
	 * is taken all the same: the exception propagates and the next call goes on after it.
	 * <p>
	 * The default implementation calls {@link #nextBatch(int, Duration)} and hands each line over as
	 * {@link OutputLine#of}.
	 * @param max the most events to take, positive; fewer may be taken even when more are ready
	 * @param timeout how long to wait for the first event at most; one longer than about 292 years waits without
	 * end
	 * @param visitor what receives them
	 * @return how many events the visitor received; 0 on timeout or when the stream is closed or complete
	 * @throws IllegalArgumentException if {@code max} is not positive or the visitor is {@code null}
	 * @throws InterruptedException if the thread is interrupted while waiting
	 */
	default int nextBatch(int max, Duration timeout, EventVisitor visitor) throws InterruptedException {
		Checks.notNull(visitor, "visitor");
		List<Event> events = nextBatch(max, timeout);
		for (Event event : events) {
			if (event instanceof Event.OutputAppended line) {
				visitor.onLine(OutputLine.of(line));
			}
			else {
				visitor.onEvent(event);
			}
		}
		return events.size();
	}

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
