package io.execra.internal.cluster;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import io.execra.Job;
import io.execra.JobId;
import io.execra.Outcome;
import io.execra.UnknownJobException;
import io.execra.internal.PollWait;
import io.execra.store.JobStore;
import org.jspecify.annotations.Nullable;

/**
 * Waits for the outcome of a job that runs on another node: reads the store whenever the database signals that the
 * job's events were written, and at least every poll interval.
 */
public final class StoredOutcome {

	private final JobStore store;

	private final EventWakeups wakeups;

	private final Duration poll;

	/**
	 * @param store the store
	 * @param wakeups wakes the wait when the job's events are written
	 * @param poll how often the store is read without a signal
	 */
	public StoredOutcome(JobStore store, EventWakeups wakeups, Duration poll) {
		this.store = store;
		this.wakeups = wakeups;
		this.poll = poll;
	}

	/**
	 * Waits until the store has the job finalized, or until the job runs on this node.
	 * @param id the job
	 * @param local whether the job now runs on this node, where its outcome is awaited instead
	 * @return the outcome, or {@code null} once {@code local} holds
	 * @throws InterruptedException if interrupted while waiting
	 */
	public @Nullable Outcome await(JobId id, BooleanSupplier local) throws InterruptedException {
		PollWait written = new PollWait(this.poll);
		try (EventWakeups.Registration registration = this.wakeups.register(id, written::wake)) {
			while (true) {
				if (local.getAsBoolean()) {
					return null;
				}
				Optional<Job> job = this.store.find(id);
				if (job.isEmpty()) {
					throw new UnknownJobException(id);
				}
				if (job.get().isFinalized() && job.get().outcome() != null) {
					return job.get().outcome();
				}
				written.await();
			}
		}
	}

}
