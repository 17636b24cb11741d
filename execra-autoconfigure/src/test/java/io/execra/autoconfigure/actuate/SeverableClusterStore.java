package io.execra.autoconfigure.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.execra.Event;
import io.execra.Job;
import io.execra.JobId;
import io.execra.cluster.ClaimRequest;
import io.execra.cluster.ClaimedJob;
import io.execra.cluster.ClusterSignals;
import io.execra.cluster.ClusterStore;
import io.execra.cluster.InMemoryClusterStore;
import io.execra.cluster.JobRecipe;
import io.execra.cluster.NodeInfo;
import io.execra.cluster.NodeLease;
import io.execra.store.InMemoryJobStore;
import io.execra.store.StoreException;

/**
 * The in-memory cluster store of several runtimes in one JVM, which can be cut off as a node cut off from its
 * database would be: every call then fails. Its {@link #jobs() job store} is the one the runtimes share.
 */
public class SeverableClusterStore implements ClusterStore {

	private final SharedInMemoryJobStore jobs = new SharedInMemoryJobStore();

	private final InMemoryClusterStore delegate = new InMemoryClusterStore(this.jobs, Clock.systemUTC());

	private volatile boolean severed;

	/**
	 * @return the job store the runtimes share with this cluster store
	 */
	public InMemoryJobStore jobs() {
		return this.jobs;
	}

	/**
	 * Cuts this store off, or connects it again.
	 * @param severed whether every call fails
	 */
	public void severed(boolean severed) {
		this.severed = severed;
	}

	private void check() {
		if (this.severed) {
			throw new StoreException("Connection refused (test store severed)");
		}
	}

	@Override
	public Joined join(String nodeId, int capacity, Duration lease) {
		check();
		return this.delegate.join(nodeId, capacity, lease);
	}

	@Override
	public boolean renew(NodeLease lease, Duration length, int running) {
		check();
		return this.delegate.renew(lease, length, running);
	}

	@Override
	public void leave(NodeLease lease) {
		check();
		this.delegate.leave(lease);
	}

	@Override
	public void enqueueAll(List<Queued> jobs) {
		check();
		this.delegate.enqueueAll(jobs);
	}

	@Override
	public List<ClaimedJob> claim(NodeLease lease, ClaimRequest request) {
		check();
		return this.delegate.claim(lease, request);
	}

	@Override
	public List<ClaimedJob> claimed(NodeLease lease, UUID claimId) {
		check();
		return this.delegate.claimed(lease, claimId);
	}

	@Override
	public int write(NodeLease lease, List<Job> jobs, List<Event> events) {
		check();
		return this.delegate.write(lease, jobs, events);
	}

	@Override
	public List<Rescued> rescue(NodeLease rescuer) {
		check();
		return this.delegate.rescue(rescuer);
	}

	@Override
	public boolean requestCancel(JobId id) {
		check();
		return this.delegate.requestCancel(id);
	}

	@Override
	public List<JobId> cancelRequests(NodeLease lease) {
		check();
		return this.delegate.cancelRequests(lease);
	}

	@Override
	public List<NodeInfo> nodes() {
		check();
		return this.delegate.nodes();
	}

	@Override
	public Optional<ClusterSignals> signals() {
		return this.delegate.signals();
	}

	/** The in-memory job store, shared by the runtimes of this JVM as a database is by the instances using it. */
	static final class SharedInMemoryJobStore extends InMemoryJobStore {

		@Override
		public boolean isShared() {
			return true;
		}

	}

}
