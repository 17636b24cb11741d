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
	 * The outcome, completed after the job is finalized (and after its terminal state reached the store).
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
	 * The job's events, replayed from its first retained event, then live.
	 * @return a new stream
	 */
	EventStream events();

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
