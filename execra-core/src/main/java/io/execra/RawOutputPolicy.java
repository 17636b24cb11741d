package io.execra;

/**
 * Where a job's output lines are kept for {@link ExecraRuntime#output} after they were published.
 */
public enum RawOutputPolicy {

	/** In memory only, bounded by the retained bytes and lines. */
	MEMORY,

	/** Also in one plain log file per job ({@code <job-id>.log}) in the output directory. */
	FILE,

	/** Like {@link #FILE}, gzipped to {@code <job-id>.log.gz} when the job is finalized. */
	FILE_GZIP

}
