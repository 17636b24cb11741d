package io.execra.cluster;

import java.time.Instant;

import io.execra.Job;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.Progress;

/**
 * The snapshots the {@link InMemoryClusterStore} writes of jobs it claims, queues again or finalizes.
 */
final class JobSnapshots {

	private JobSnapshots() {
	}

	/** The job moved to the node that claimed it. */
	static Job withNode(Job job, String node) {
		return new Job(job.id(), job.command(), job.state(), job.label(), job.tags(), job.progress(), job.phase(),
				job.createdAt(), job.startedAt(), job.finishedAt(), job.pid(), job.exit(), job.outcome(),
				job.outputTail(), node);
	}

	/** The job queued again after its node died: nothing of its run is left. */
	static Job requeued(Job job) {
		return new Job(job.id(), job.command(), JobState.QUEUED, job.label(), job.tags(), Progress.UNKNOWN, null,
				job.createdAt(), null, null, null, null, null, null, job.node());
	}

	/** The job finalized by the store (rescued or cancelled while queued), at {@code now} on the database clock. */
	static Job finalized(Job job, Outcome outcome, Instant now) {
		return new Job(job.id(), job.command(), JobState.FINALIZED, job.label(), job.tags(), job.progress(), null,
				job.createdAt(), job.startedAt(), now, job.pid(), job.exit(), outcome, job.outputTail(), job.node());
	}

}
