package io.execra.internal.job;

import io.execra.OutputLimitStrategy;

/**
 * Counts a job's output against its limit and says what to do with each line. Not thread-safe: guarded by the
 * job's lock.
 */
final class OutputLimiter {

	/** What to do with a line. */
	enum Verdict {

		/** Within the limit: publish and keep it. */
		PUBLISH,

		/** Past the limit, first line: warn that output is truncated, drop the line. */
		TRUNCATE_NOW,

		/** Past the limit: drop the line (truncated, or the job is being killed). */
		DROP,

		/** Past the limit, first line: kill the job, drop the line. */
		FAIL_NOW,

		/** Past the limit, first line: start spilling to the log file, publish the line. */
		SPILL_NOW,

		/** Spilling: publish the line, keep it in the log file only. */
		SPILLED

	}

	private final long limit;

	private final OutputLimitStrategy strategy;

	private long bytes;

	private boolean exceeded;

	OutputLimiter(long limit, OutputLimitStrategy strategy) {
		this.limit = limit;
		this.strategy = strategy;
	}

	/**
	 * Counts a line.
	 * @param lineBytes its length in bytes (its terminator counts as one more)
	 * @return what to do with it
	 */
	Verdict count(int lineBytes) {
		this.bytes += lineBytes + 1;
		return (this.limit <= 0 || this.bytes <= this.limit) ? Verdict.PUBLISH : exceeded();
	}

	/**
	 * Counts lines together if all of them are within the limit, as many calls to {@link #count} that all return
	 * {@link Verdict#PUBLISH} would; otherwise counts nothing, for the caller to count them one by one.
	 * @param lineBytes their lengths in bytes together (each terminator counts as one more)
	 * @param lines how many
	 * @return whether they were counted, all to be published
	 */
	boolean countAll(long lineBytes, int lines) {
		long bytes = this.bytes + lineBytes + lines;
		if (this.limit > 0 && bytes > this.limit) {
			return false;
		}
		this.bytes = bytes;
		return true;
	}

	/** The verdict on a line past the limit: the bytes counted only grow, so every later line is past it too. */
	private Verdict exceeded() {
		boolean first = !this.exceeded;
		this.exceeded = true;
		return switch (this.strategy) {
			case TRUNCATE -> first ? Verdict.TRUNCATE_NOW : Verdict.DROP;
			case FAIL -> first ? Verdict.FAIL_NOW : Verdict.DROP;
			case SPILL_TO_FILE -> first ? Verdict.SPILL_NOW : Verdict.SPILLED;
		};
	}

	/** @return whether the limit failed the job */
	boolean failedJob() {
		return this.exceeded && this.strategy == OutputLimitStrategy.FAIL;
	}

	/** @return the limit in bytes */
	long limit() {
		return this.limit;
	}

}
