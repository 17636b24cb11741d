package io.execra.internal.job;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;

import io.execra.EventStream;
import io.execra.ExecraSettings;
import io.execra.Job;
import io.execra.JobId;
import io.execra.Outcome;
import io.execra.OutputPage;
import io.execra.UnknownJobException;
import io.execra.cluster.ClusterSettings;
import io.execra.internal.cluster.EventWakeups;
import io.execra.internal.cluster.StoredOutcome;
import io.execra.internal.cluster.StoredOutput;
import io.execra.internal.delivery.RelayedEventStream;
import org.jspecify.annotations.Nullable;

/**
 * What the runtime reads of a job in cluster mode: from its driver while this node runs it, from the store (woken
 * by the database's signals) while another node does, or did.
 */
final class ClusterReads implements ClusterJobHandle.ClusterReads {

	private final ExecraSettings settings;

	private final JobRegistry registry;

	private final ClusterJobs cluster;

	private final ThreadFactory deliveryThreads;

	private final StoredOutcome outcomes;

	private final StoredOutput output;

	ClusterReads(ExecraSettings settings, JobRegistry registry, ClusterJobs cluster, ThreadFactory deliveryThreads) {
		this.settings = settings;
		this.registry = registry;
		this.cluster = cluster;
		this.deliveryThreads = deliveryThreads;
		this.outcomes = new StoredOutcome(settings.store(), cluster.wakeups(), cluster.relayPoll());
		this.output = new StoredOutput(settings.store(), cluster.wakeups(), cluster.relayPoll());
	}

	@Override
	public @Nullable JobDriver local(JobId id) {
		return this.registry.get(id);
	}

	@Override
	public Job stored(JobId id) {
		return this.settings.store().find(id).orElseThrow(() -> new UnknownJobException(id));
	}

	@Override
	public @Nullable Outcome awaitStored(JobId id) throws InterruptedException {
		return this.outcomes.await(id, () -> local(id) != null && !abandoned(id));
	}

	@Override
	public boolean abandoned(JobId id) {
		return this.cluster.fencedWrites().isAbandoned(id);
	}

	@Override
	public boolean cancel(JobId id) {
		JobDriver driver = local(id);
		if (driver != null) {
			return driver.cancel();
		}
		ClusterSettings settings = this.cluster.settings();
		if (settings.store().requestCancel(id)) {
			return true;
		}
		// finalized, or unknown: a job this node claimed meanwhile is cancelled here
		driver = local(id);
		if (driver != null) {
			return driver.cancel();
		}
		stored(id);
		return false;
	}

	@Override
	public EventStream subscribe(JobId id) {
		JobDriver driver = local(id);
		if (driver != null) {
			return driver.stream(0, this.deliveryThreads);
		}
		stored(id);
		EventWakeups wakeups = this.cluster.wakeups();
		return new RelayedEventStream(id, this.settings.store(), 0, this.cluster.relayPoll(), this.settings.clock(),
				this.deliveryThreads, (wake) -> wakeups.register(id, wake)::close);
	}

	/**
	 * Reads the output of a job this node does not run, from the lines its node stored.
	 * @see io.execra.ExecraRuntime#output(JobId, long, int, Duration)
	 */
	OutputPage output(JobId id, long afterSeq, int maxBytes, Duration wait) throws InterruptedException {
		return this.output.read(id, afterSeq, maxBytes, wait);
	}

	@Override
	public String nodeId() {
		return this.settings.nodeId();
	}

}
