package io.execra;

import java.time.Duration;

/**
 * Callbacks on a runtime's inner workings, for metrics and logging. Every method has a no-op default; an
 * exception thrown by a callback is caught and logged, never breaking the job. Callbacks run on execra's threads
 * and must return quickly.
 */
public interface ExecraListener {

	/** A listener that does nothing. */
	ExecraListener NO_OP = new ExecraListener() {
	};

	/**
	 * A job was accepted by {@code spawn}, before it is queued or started.
	 * @param job the snapshot
	 */
	default void jobCreated(Job job) {
	}

	/**
	 * The job's process started.
	 * @param job the snapshot
	 * @param queueWait how long it waited for a permit
	 */
	default void jobStarted(Job job, Duration queueWait) {
	}

	/**
	 * The job was finalized.
	 * @param job the final snapshot
	 * @param duration from start (or creation, if it never started) to finalization
	 */
	default void jobFinalized(Job job, Duration duration) {
	}

	/**
	 * Output lines were read: called once per read of a stream, with the lines it completed, after the job has
	 * handled them.
	 * @param stream the stream
	 * @param lines how many lines (parts of an over-long line count as lines)
	 * @param bytes their length in bytes as read (terminators excluded)
	 */
	default void outputLines(StdStream stream, int lines, long bytes) {
	}

	/**
	 * A finding was emitted.
	 * @param finding the finding
	 */
	default void findingEmitted(Finding finding) {
	}

	/**
	 * execra sent a signal to a job's process group.
	 * @param signal {@code TERM} or {@code KILL}
	 */
	default void processSignalled(String signal) {
	}

	/**
	 * A subscriber fell behind and events were not delivered to it.
	 * @param count how many
	 */
	default void eventsLagged(long count) {
	}

	/**
	 * A batch was written to the store.
	 * @param latency how long the write took
	 * @param success whether it succeeded
	 */
	default void storeWrite(Duration latency, boolean success) {
	}

	/**
	 * Events were dropped: the store was unreachable and the buffer was full (terminal states never are), or the
	 * store refused them while it accepted others.
	 * @param count how many
	 */
	default void storeEventsDropped(long count) {
	}

}
