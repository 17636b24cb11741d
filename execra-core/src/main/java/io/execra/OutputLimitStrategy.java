package io.execra;

/**
 * What happens when a job prints more than its output limit.
 */
public enum OutputLimitStrategy {

	/**
	 * Stop keeping and publishing output lines past the limit, with one {@code warning_detected} event
	 * ({@code output_truncated}). The process runs on and is still drained; interpreters still see every line.
	 */
	TRUNCATE,

	/**
	 * Kill the job's process group; the job fails with {@link FailureReason.OutputLimitExceeded}.
	 */
	FAIL,

	/**
	 * Keep publishing events, but keep lines past the limit only in the job's output log file, not in memory.
	 * Needs an output log directory.
	 */
	SPILL_TO_FILE

}
