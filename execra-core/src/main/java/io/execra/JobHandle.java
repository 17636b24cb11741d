package io.execra;

import java.util.concurrent.CompletableFuture;

/**
 * A handle on a spawned job: its id, its outcome, its events, cancellation and interactive stdin. Thread-safe.
 */
public interface JobHandle {

	/**
	 * The job's id.
	 * @return the id
	 */
	JobId id();

	/**
	 * The outcome, completed after the job is finalized (and after its terminal state reached the store). Each call
	 * returns a new future: while the job runs, it is completed on a thread of its own ({@code execra-outcome-*}),
	 * where the stages added to it run, so a stage that blocks holds up no job; once the job is finalized, it is
	 * returned completed. {@link #await()} waits without it.
	 * @return the future outcome
	 */
	CompletableFuture<Outcome> outcome();

	/**
	 * Blocks until the job is finalized. May be called any number of times, from any thread.
	 * @return the outcome
	 * @throws InterruptedException if the calling thread is interrupted (the job goes on)
	 */
	Outcome await() throws InterruptedException;

	/**
	 * Requests cancellation: a {@link Event.Cancelled} event at once, TERM to the whole process group, KILL after
	 * the grace period. A queued job is finalized without ever starting.
	 * @return {@code false} if the job was already finalized
	 */
	boolean cancel();

	/**
	 * The job's events, replayed from its first retained event, then live: {@link #events(Delivery)} with
	 * {@link Delivery#BEST_EFFORT}, so the job never waits for the reader, and a reader that falls out of the replay
	 * window gets an {@link Event.Lagged}.
	 * @return a new stream
	 */
	EventStream events();

	/**
	 * The job's events, replayed from its first retained event, then live, delivered as asked. With
	 * {@link Delivery#LOSSLESS} the reader gets every event from its first on, every output line included, and the
	 * job's output waits for it within the replay window's bounds (see {@link Delivery}); close the stream to let
	 * the job go on at full speed. Events that left the window before the call are not brought back: a reader
	 * subscribing late to a job that printed more than a window gets one {@link Event.Lagged} first.
	 * <pre>{@code
	 * try (EventStream events = handle.events(Delivery.LOSSLESS)) {
	 *     while (!events.isComplete()) {
	 *         for (Event event : events.nextBatch(1024, Duration.ofSeconds(1))) { ... }
	 *     }
	 * }
	 * }</pre>
	 * The default implementation serves {@link Delivery#BEST_EFFORT} with {@link #events()} and supports no other.
	 * @param delivery how a reader that falls behind is treated
	 * @return a new stream; close it when done
	 * @throws UnsupportedOperationException if this handle cannot deliver so
	 */
	default EventStream events(Delivery delivery) {
		Checks.notNull(delivery, "delivery");
		if (delivery instanceof Delivery.BestEffort) {
			return events();
		}
		throw new UnsupportedOperationException(getClass().getName() + " does not support " + delivery);
	}

	/**
	 * The current snapshot.
	 * @return the job
	 */
	Job snapshot();

	/**
	 * Writes to the process's stdin; the command must use {@link Stdin#pipe()}. Never waits for the process: the
	 * bytes are queued, in order with earlier writes, and written to the pipe on another thread (once the process
	 * starts, if it has not yet). At most {@link ExecraSettings.StdinLimits#bufferBytes()} may wait at once; if the
	 * process takes none of them for {@link ExecraSettings.StdinLimits#writeTimeout()}, they are dropped, a
	 * {@code stdin_write_timeout} warning is emitted and later writes fail.
	 * @param bytes the bytes
	 * @throws StdinClosedException if stdin is not a pipe, was closed, stopped taking writes (a write timed out or
	 * failed), or the process exited
	 * @throws StdinBufferFullException if the bytes would pass the bound of what may wait; nothing of them is queued
	 */
	void write(byte[] bytes);

	/**
	 * Writes a line (the text and {@code \n}, UTF-8) to the process's stdin, as {@link #write(byte[])} does.
	 * @param line the text
	 * @throws StdinClosedException if stdin is not a pipe, was closed, stopped taking writes, or the process exited
	 * @throws StdinBufferFullException if the line would pass the bound of what may wait
	 */
	default void writeLine(String line) {
		write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/**
	 * Closes the process's stdin, so it reads end-of-file after the bytes written before. Never waits: with bytes
	 * still queued, the pipe is closed once they are written, or once they are dropped for the write timeout (the
	 * process then reads end-of-file after the part it was taking, or never if it takes nothing more). Does nothing
	 * if already closed.
	 */
	void closeStdin();

}
