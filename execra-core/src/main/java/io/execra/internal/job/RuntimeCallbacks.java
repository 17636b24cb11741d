package io.execra.internal.job;

/**
 * What a runtime's jobs tell it, passed on to the parts concerned: the queue and permits to the admission, the
 * finalized jobs to the registry.
 *
 * @param admission the runtime's concurrency limit and queue
 * @param registry the jobs the runtime holds in memory
 */
record RuntimeCallbacks(Admission<JobDriver> admission, JobRegistry registry) implements JobCallbacks {

	@Override
	public boolean dequeue(JobDriver driver) {
		return this.admission.dequeue(driver);
	}

	@Override
	public void released(JobDriver driver) {
		this.admission.released(driver);
	}

	@Override
	public void finalized(JobDriver driver) {
		this.registry.finalized(driver);
	}

}
