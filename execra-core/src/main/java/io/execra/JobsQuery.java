package io.execra;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import io.execra.store.JobCriteria;
import org.jspecify.annotations.Nullable;

/**
 * A fluent query over a runtime's jobs: {@code rt.jobs().tag("media").state(JobState.FINALIZED).limit(20).list()}.
 * Results are newest first; active jobs show their live state. Not thread-safe; cheap to create.
 */
public final class JobsQuery {

	private final Function<JobCriteria, List<Job>> lister;

	private final ToLongFunction<JobCriteria> counter;

	private @Nullable String tag;

	private final Set<JobState> states = EnumSet.noneOf(JobState.class);

	private @Nullable String owner;

	private @Nullable Instant createdAfter;

	private @Nullable Instant createdBefore;

	private int offset;

	private int limit = JobCriteria.DEFAULT_LIMIT;

	/**
	 * Creates a query run by the given functions.
	 * @param lister lists a page
	 * @param counter counts matches
	 */
	public JobsQuery(Function<JobCriteria, List<Job>> lister, ToLongFunction<JobCriteria> counter) {
		this.lister = lister;
		this.counter = counter;
	}

	/**
	 * Only jobs with this tag (exact match).
	 * @param tag the tag
	 * @return this query
	 */
	public JobsQuery tag(String tag) {
		this.tag = Checks.notEmpty(tag, "tag");
		return this;
	}

	/**
	 * Only jobs in these states (adds to earlier calls).
	 * @param states the states
	 * @return this query
	 */
	public JobsQuery state(JobState... states) {
		this.states.addAll(List.of(states));
		return this;
	}

	/**
	 * Only jobs of this owner.
	 * @param owner the owner
	 * @return this query
	 */
	public JobsQuery owner(String owner) {
		this.owner = Checks.notEmpty(owner, "owner");
		return this;
	}

	/**
	 * Only jobs created at or after this instant.
	 * @param instant the instant
	 * @return this query
	 */
	public JobsQuery createdAfter(Instant instant) {
		this.createdAfter = instant;
		return this;
	}

	/**
	 * Only jobs created at or before this instant.
	 * @param instant the instant
	 * @return this query
	 */
	public JobsQuery createdBefore(Instant instant) {
		this.createdBefore = instant;
		return this;
	}

	/**
	 * Skips the first rows, for paging.
	 * @param offset rows to skip
	 * @return this query
	 */
	public JobsQuery offset(int offset) {
		this.offset = offset;
		return this;
	}

	/**
	 * Returns at most this many jobs (default 100).
	 * @param limit the page size
	 * @return this query
	 */
	public JobsQuery limit(int limit) {
		this.limit = limit;
		return this;
	}

	/**
	 * The criteria as a store query.
	 * @return the criteria
	 */
	public JobCriteria criteria() {
		return new JobCriteria(this.tag, this.states, this.owner, this.createdAfter, this.createdBefore, this.offset,
				this.limit);
	}

	/**
	 * Runs the query.
	 * @return matching jobs, newest first
	 */
	public List<Job> list() {
		return this.lister.apply(criteria());
	}

	/**
	 * Counts matching jobs, ignoring offset and limit.
	 * @return the count
	 */
	public long count() {
		return this.counter.applyAsLong(criteria());
	}

}
