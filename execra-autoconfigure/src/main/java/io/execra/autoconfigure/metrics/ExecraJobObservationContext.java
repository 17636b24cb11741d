package io.execra.autoconfigure.metrics;

import io.execra.Job;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The context of a job's observation: the runtime's name and the job's snapshot, the final one once it is
 * finalized.
 */
public class ExecraJobObservationContext extends Observation.Context {

	private final String runtimeName;

	private Job job;

	private boolean finalized;

	/**
	 * Creates a context.
	 * @param runtimeName the runtime's name
	 * @param job the job at its start
	 */
	public ExecraJobObservationContext(String runtimeName, Job job) {
		this.runtimeName = runtimeName;
		this.job = job;
	}

	/**
	 * The runtime's name.
	 * @return the name
	 */
	public String getRuntimeName() {
		return this.runtimeName;
	}

	/**
	 * The job: at its start, then finalized.
	 * @return the snapshot
	 */
	public Job getJob() {
		return this.job;
	}

	void setFinalizedJob(Job job) {
		this.job = job;
		this.finalized = true;
	}

	/**
	 * Whether the job was finalized: the observation is stopping.
	 * @return whether it was finalized
	 */
	public boolean isFinalized() {
		return this.finalized;
	}

	/**
	 * The outcome's kind once finalized.
	 * @return the kind, or {@code null} while the job runs
	 */
	public @Nullable String getOutcomeKind() {
		return (this.finalized && this.job.outcome() != null) ? this.job.outcome().kind() : null;
	}

}
