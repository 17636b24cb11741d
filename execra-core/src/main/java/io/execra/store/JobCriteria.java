package io.execra.store;

import java.time.Instant;
import java.util.Set;

import io.execra.JobState;
import org.jspecify.annotations.Nullable;

/**
 * Criteria for listing jobs, newest first. Every criterion is optional; they combine with AND.
 *
 * @param tag jobs carrying this exact tag
 * @param states jobs in one of these states (empty: any)
 * @param owner jobs of this owner
 * @param createdAfter created at or after this instant
 * @param createdBefore created at or before this instant
 * @param offset rows to skip, for paging
 * @param limit rows to return at most
 */
public record JobCriteria(@Nullable String tag, Set<JobState> states, @Nullable String owner,
		@Nullable Instant createdAfter, @Nullable Instant createdBefore, int offset, int limit) {

	/** The default page size. */
	public static final int DEFAULT_LIMIT = 100;

	public JobCriteria {
		states = Set.copyOf(states);
		if (offset < 0) {
			throw new IllegalArgumentException("'offset' must not be negative but was " + offset);
		}
		if (limit <= 0) {
			throw new IllegalArgumentException("'limit' must be positive but was " + limit);
		}
	}

	/**
	 * All jobs, first page.
	 * @return the criteria
	 */
	public static JobCriteria all() {
		return new JobCriteria(null, Set.of(), null, null, null, 0, DEFAULT_LIMIT);
	}

	/**
	 * Whether a job matches the filters (ignores offset and limit).
	 * @param job the job
	 * @return {@code true} if it matches
	 */
	public boolean matches(io.execra.Job job) {
		return (this.tag == null || job.tags().contains(this.tag))
				&& (this.states.isEmpty() || this.states.contains(job.state()))
				&& (this.owner == null || this.owner.equals(job.owner()))
				&& (this.createdAfter == null || !job.createdAt().isBefore(this.createdAfter))
				&& (this.createdBefore == null || !job.createdAt().isAfter(this.createdBefore));
	}

}
