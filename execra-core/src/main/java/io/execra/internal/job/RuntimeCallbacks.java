package io.execra.internal.job;

import org.jspecify.annotations.Nullable;

/**
 * What a runtime's jobs tell it, passed on to the parts concerned: the queue and permits to the admission, the
 * finalized jobs to the registry.
 *
 * @param admission the runtime's concurrency limit and queue
 * @param registry the jobs the runtime holds in memory
 * @param slotFreed told when a job released its slot (cluster mode: the node may claim another), or {@code null}
 */
record RuntimeCallbacks(Admission<JobDriver> admission, JobRegistry registry,
		@Nullable Runnable slotFreed) implements JobCallbacks {

	@Override
	public boolean dequeue(JobDriver driver) {
		return this.admission.dequeue(driver);
	}

	@Override
	public void released(JobDriver driver) {
		this.admission.released(driver);
		if (this.slotFreed != null) {
			this.slotFreed.run();
		}
	}

	@Override
	public void finalized(JobDriver driver) {
		this.registry.finalized(driver);
	}

}
