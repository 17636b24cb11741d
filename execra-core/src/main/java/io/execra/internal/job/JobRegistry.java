package io.execra.internal.job;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import io.execra.Job;
import io.execra.JobId;
import io.execra.JobState;
import org.jspecify.annotations.Nullable;

/**
 * The jobs a runtime holds in memory: every active job, and the newest finalized ones up to a bound; older
 * finalized jobs are found in the store only.
 */
final class JobRegistry {

	private static final Comparator<JobDriver> OLDEST_FIRST = Comparator.comparing(JobDriver::createdAt)
		.thenComparing(JobDriver::id);

	private final int maxFinalized;

	private final ConcurrentHashMap<JobId, JobDriver> jobs = new ConcurrentHashMap<>();

	/** The finalized jobs still held, oldest first: the next to evict. Guards the evictions too. */
	private final ArrayDeque<JobId> finalizedOrder = new ArrayDeque<>();

	/**
	 * @param maxFinalized the finalized jobs kept in memory
	 */
	JobRegistry(int maxFinalized) {
		this.maxFinalized = maxFinalized;
	}

	/**
	 * Holds a new job.
	 * @param driver the job
	 */
	void add(JobDriver driver) {
		this.jobs.put(driver.id(), driver);
	}

	/**
	 * @param id the job's id
	 * @return the job, or {@code null} when it is not (or no longer) in memory
	 */
	@Nullable JobDriver get(JobId id) {
		return this.jobs.get(id);
	}

	/**
	 * A job was finalized: it stays in memory until newer finalized jobs pass the bound.
	 * @param driver the job
	 */
	void finalized(JobDriver driver) {
		synchronized (this.finalizedOrder) {
			this.finalizedOrder.add(driver.id());
			while (this.finalizedOrder.size() > this.maxFinalized) {
				this.jobs.remove(this.finalizedOrder.poll());
			}
		}
	}

	/**
	 * Drops finalized jobs from memory (their rows were deleted from the store); active jobs stay.
	 * @param ids the jobs' ids
	 */
	void forget(Collection<JobId> ids) {
		synchronized (this.finalizedOrder) {
			for (JobId id : ids) {
				JobDriver driver = this.jobs.get(id);
				if (driver != null && !driver.isActive()) {
					this.jobs.remove(id);
					this.finalizedOrder.remove(id);
				}
			}
		}
	}

	/**
	 * @param n how many
	 * @return snapshots of the newest jobs in memory, newest first
	 */
	List<Job> recent(int n) {
		return this.jobs.values()
			.stream()
			.sorted(OLDEST_FIRST.reversed())
			.limit(Math.max(0, n))
			.map(JobDriver::snapshot)
			.toList();
	}

	/** @return the ids of the queued and running jobs, oldest first */
	List<JobId> running() {
		return this.jobs.values().stream().filter((driver) -> {
			JobState state = driver.state();
			return state == JobState.QUEUED || state == JobState.RUNNING;
		}).sorted(OLDEST_FIRST).map(JobDriver::id).toList();
	}

	/** @return the jobs not finalized yet */
	List<JobDriver> active() {
		return this.jobs.values().stream().filter(JobDriver::isActive).toList();
	}

	/** @return every job in memory, at this moment */
	List<JobDriver> all() {
		return List.copyOf(this.jobs.values());
	}

}
