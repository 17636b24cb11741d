package io.execra.autoconfigure.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.execra.ExecraListener;
import io.execra.Job;
import io.execra.JobId;
import io.execra.Outcome;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Observes every job of one runtime: an {@link Observation} started when the job's process starts and stopped when
 * the job is finalized (a failed job's observation carries the failure as its error). A job that never started (a
 * spawn failure, a job cancelled in the queue) gets an observation started and stopped at its finalization.
 */
public class ExecraObservationListener implements ExecraListener {

	private final ObservationRegistry registry;

	private final String runtimeName;

	private final @Nullable ExecraJobObservationConvention convention;

	private final Map<JobId, Observation> observations = new ConcurrentHashMap<>();

	/**
	 * Creates the listener of one runtime.
	 * @param registry the observation registry
	 * @param runtimeName the runtime's name
	 * @param convention a custom convention, or {@code null} for the default
	 */
	public ExecraObservationListener(ObservationRegistry registry, String runtimeName,
			@Nullable ExecraJobObservationConvention convention) {
		this.registry = registry;
		this.runtimeName = runtimeName;
		this.convention = convention;
	}

	@Override
	public void jobStarted(Job job, Duration queueWait) {
		this.observations.put(job.id(), observation(job).start());
	}

	@Override
	public void jobFinalized(Job job, Duration duration) {
		Observation observation = this.observations.remove(job.id());
		if (observation == null) {
			observation = observation(job).start();
		}
		if (observation.getContext() instanceof ExecraJobObservationContext context) {
			context.setFinalizedJob(job);
		}
		if (job.outcome() instanceof Outcome.Failed failed) {
			observation.error(new JobFailedException(failed.reason().describe()));
		}
		observation.stop();
	}

	private Observation observation(Job job) {
		return ExecraObservationDocumentation.JOB.observation(this.convention,
				new DefaultExecraJobObservationConvention(),
				() -> new ExecraJobObservationContext(this.runtimeName, job), this.registry);
	}

	/** The failure recorded on a failed job's observation (no stack trace: it is not a JVM failure). */
	static final class JobFailedException extends RuntimeException {

		JobFailedException(String message) {
			super(message, null, false, false);
		}

	}

}
