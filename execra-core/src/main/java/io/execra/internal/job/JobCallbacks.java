package io.execra.internal.job;

/**
 * What a job's driver tells the runtime that admitted it: its slot is free, it is finalized, or a queued job is
 * cancelled before it started.
 */
interface JobCallbacks {

	/**
	 * Removes a queued job from the queue.
	 * @param driver the job
	 * @return whether it was queued (it then never starts)
	 */
	boolean dequeue(JobDriver driver);

	/**
	 * The job no longer needs its concurrency slot: the next queued job may start.
	 * @param driver the job
	 */
	void released(JobDriver driver);

	/**
	 * The job is finalized: the runtime keeps it in memory within its bound.
	 * @param driver the job
	 */
	void finalized(JobDriver driver);

}
