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
	 * Writes to the process's stdin; the command must use {@link Stdin#pipe()}.
	 * @param bytes the bytes
	 * @throws StdinClosedException if stdin is not a pipe, was closed, or the process exited
	 */
	void write(byte[] bytes);

	/**
	 * Writes a line (the text and {@code \n}, UTF-8) to the process's stdin.
	 * @param line the text
	 * @throws StdinClosedException if stdin is not a pipe, was closed, or the process exited
	 */
	default void writeLine(String line) {
		write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/**
	 * Closes the process's stdin, so it reads end-of-file. Does nothing if already closed.
	 */
	void closeStdin();

}
