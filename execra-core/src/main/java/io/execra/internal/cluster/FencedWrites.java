package io.execra.internal.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.execra.Event;
import io.execra.Job;
import io.execra.JobId;
import io.execra.cluster.ClusterStore;
import io.execra.cluster.LeaseLostException;
import io.execra.cluster.NodeLease;
import io.execra.internal.store.BatchSink;

/**
 * The store writer's batches in cluster mode: written through {@link ClusterStore#write} under the node's lease, so
 * that the store rejects what a node that lost its lease still sends. The records of jobs abandoned when the lease
 * was lost are not written at all (their outcome is the rescuer's), nor is anything while the lease is not held.
 */
public final class FencedWrites implements BatchSink {

	private final ClusterStore store;

	private final NodeMembership membership;

	private final ClusterCounters counters;

	private final Set<JobId> abandoned = ConcurrentHashMap.newKeySet();

	/**
	 * @param store the cluster store
	 * @param membership the node's lease
	 * @param counters counts the records fenced
	 */
	public FencedWrites(ClusterStore store, NodeMembership membership, ClusterCounters counters) {
		this.store = store;
		this.membership = membership;
		this.counters = counters;
	}

	/**
	 * Stops writing for a job: this node lost the lease it ran it under. It stays abandoned (a few ids, only ever
	 * those of jobs running when a lease was lost) unless this node claims it again.
	 * @param id the job
	 */
	public void abandon(JobId id) {
		this.abandoned.add(id);
	}

	/**
	 * @param id the job
	 * @return whether this node abandoned its run of the job
	 */
	public boolean isAbandoned(JobId id) {
		return this.abandoned.contains(id);
	}

	/**
	 * Writes for a job again: this node claimed it anew, under its new lease.
	 * @param id the job
	 */
	public void resume(JobId id) {
		this.abandoned.remove(id);
	}

	@Override
	public void write(List<Job> jobs, List<Event> events) {
		List<Job> keptJobs = new ArrayList<>(jobs.size());
		for (Job job : jobs) {
			if (!this.abandoned.contains(job.id())) {
				keptJobs.add(job);
			}
		}
		List<Event> keptEvents = new ArrayList<>(events.size());
		for (Event event : events) {
			if (!this.abandoned.contains(event.jobId())) {
				keptEvents.add(event);
			}
		}
		if (keptJobs.isEmpty() && keptEvents.isEmpty()) {
			return;
		}
		NodeLease lease = this.membership.current();
		if (lease == null) {
			// the jobs these belong to were abandoned with the lease
			this.counters.fenced(keptJobs.size() + keptEvents.size());
			return;
		}
		try {
			this.counters.fenced(this.store.write(lease, keptJobs, keptEvents));
		}
		catch (LeaseLostException ex) {
			this.counters.fenced(keptJobs.size() + keptEvents.size());
			this.membership.lost(lease, "the store rejected its write");
		}
	}

}
