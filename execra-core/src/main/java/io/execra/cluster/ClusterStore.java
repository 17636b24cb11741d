package io.execra.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.execra.Event;
import io.execra.Job;
import io.execra.JobId;
import io.execra.JobState;

/**
 * The shared table of a cluster: the SPI a store implements so that several runtimes on one database act as one.
 * All times are the database's clock ({@code now()}), never a JVM's. Every method is one transaction; every
 * implementation runs the contract suite {@code ClusterStoreContractTests} (execra-core test jar).
 * <p>
 * The {@link io.execra.store.JobStore} of the same runtime reads what this writes (jobs, events): a cluster store is
 * the same database seen from the cluster's side.
 */
public interface ClusterStore {

	/**
	 * Joins (or joins again) the cluster: the node's row gets a new epoch, greater than any earlier one, and a lease
	 * of {@code lease} from now. The jobs the node still owned under an earlier epoch are rescued as
	 * {@link #rescue} would (its earlier run is gone) and returned, so that it can kill the processes they left.
	 * @param nodeId the node's id
	 * @param capacity how many jobs it may run at once
	 * @param lease how long the lease holds without a renewal
	 * @return the new lease and the jobs rescued from the node's earlier epochs
	 */
	Joined join(String nodeId, int capacity, Duration lease);

	/**
	 * Renews the lease for {@code lease} from now, if it still holds: same epoch, not lapsed. A lapsed lease is not
	 * renewed even if nobody rescued it yet; the node must join again.
	 * @param lease the node's lease
	 * @param length the lease's length
	 * @param running how many jobs the node runs (shown in {@link #nodes()})
	 * @return {@code false} if the lease no longer holds
	 */
	boolean renew(NodeLease lease, Duration length, int running);

	/**
	 * Leaves the cluster at shutdown: the node's row is kept (its history names it) but its lease ends now.
	 * @param lease the node's lease
	 */
	void leave(NodeLease lease);

	/**
	 * Records a job as queued, durably, before the spawn returns: any node may then claim it. Its
	 * {@code job_created} event (seq 1) is stored with it, so the claiming node's events start at seq 2 (or after the
	 * last stored event, for a job queued again).
	 * @param job the snapshot (state {@code QUEUED})
	 * @param recipe how to build its command
	 * @throws IllegalArgumentException if the job is not queued, or a job of its id is stored already
	 */
	default void enqueue(Job job, JobRecipe recipe) {
		enqueueAll(List.of(new Queued(job, recipe)));
	}

	/**
	 * Records jobs as queued as {@link #enqueue} does, all in one transaction: all of them or, if one cannot be
	 * (a job stored already, the database down), none. The runtime queues together the spawns that arrive while a
	 * transaction of its node is in flight.
	 * @param jobs the jobs, each with its recipe
	 * @throws IllegalArgumentException if a job is not queued, or a job of its id is stored already (none is queued)
	 */
	void enqueueAll(List<Queued> jobs);

	/**
	 * Claims queued jobs, FIFO within a priority (higher first), in one transaction that skips rows other nodes
	 * are claiming ({@code FOR UPDATE SKIP LOCKED}), within the cluster-wide limits of the request. The claimed jobs
	 * are owned by {@code lease} (node and epoch).
	 * @param lease the claiming node's lease
	 * @param request what it may claim
	 * @return the claimed jobs, possibly none
	 * @throws LeaseLostException if the lease no longer holds (nothing is claimed)
	 */
	List<ClaimedJob> claim(NodeLease lease, ClaimRequest request);

	/**
	 * The jobs the claim of that request id took under this lease and that are still claimed by it. A claim can
	 * fail without telling whether it committed (the connection broke at the commit): the node then asks for what it
	 * took, which nobody else may run, and runs it.
	 * @param lease the lease the claim was made under
	 * @param claimId the {@linkplain ClaimRequest#id() id of the request}
	 * @return the jobs, in claim order; none if the claim did not commit or the lease no longer owns them
	 */
	List<ClaimedJob> claimed(NodeLease lease, UUID claimId);

	/**
	 * Writes snapshots and events of jobs this node owns, as {@link io.execra.store.JobStore#write} does, but only
	 * while the lease holds: in the same transaction the node's row is read with a share lock and must still have
	 * this epoch and an unexpired lease, and a job's row is updated only while it is owned by this lease. Events
	 * already stored are ignored; {@code output_appended} events are stored too (they relay output to subscribers on
	 * other nodes). Writes that would touch a job owned by another lease, or rescued, or queued and not claimed, are
	 * dropped. A job the table does not know at all (a spawn that failed before it was queued) is inserted, owned by
	 * this lease.
	 * @param lease the writing node's lease
	 * @param jobs the snapshots
	 * @param events the events
	 * @return how many records were dropped because another lease owns their job (fenced)
	 * @throws LeaseLostException if the lease no longer holds (nothing is written)
	 */
	int write(NodeLease lease, List<Job> jobs, List<Event> events);

	/**
	 * Rescues the jobs of every node whose lease lapsed: the node's epoch is bumped first (so its late writes are
	 * rejected), then each of its queued-to-it, running or exited jobs is finalized {@code Failed(HostExited)} with a
	 * {@code finalized} event, or, when its recipe is restartable and it ran once only, queued again with attempt 2.
	 * Two nodes rescuing at once rescue each job once. A job queued again gets a {@code warning_detected} event
	 * (code {@code host_exited}) after its last one; a job whose cancel was requested is not queued again.
	 * @param rescuer the calling node's lease
	 * @return what was rescued
	 * @throws LeaseLostException if the rescuer's own lease no longer holds (nothing is rescued)
	 */
	List<Rescued> rescue(NodeLease rescuer);

	/**
	 * Asks for a job to be cancelled, from any node. A queued job is finalized {@code Cancelled} at once; a claimed
	 * one is marked, and its owner (told by a signal, or by polling {@link #cancelRequests}) kills it.
	 * @param id the job
	 * @return {@code false} if the job is unknown or already finalized
	 */
	boolean requestCancel(JobId id);

	/**
	 * The jobs owned by this lease whose cancel was requested and that are not finalized.
	 * @param lease the owner's lease
	 * @return their ids
	 */
	List<JobId> cancelRequests(NodeLease lease);

	/**
	 * Every node the table knows, live or not.
	 * @return the nodes, by id
	 */
	List<NodeInfo> nodes();

	/**
	 * The database's push signals, where it has them ({@code LISTEN/NOTIFY}); empty where nodes must poll.
	 * @return the signals
	 */
	Optional<ClusterSignals> signals();

	/**
	 * A job to queue, for {@link #enqueueAll}.
	 * @param job the snapshot (state {@code QUEUED})
	 * @param recipe how to build its command
	 */
	record Queued(Job job, JobRecipe recipe) {

		/**
		 * @throws IllegalArgumentException if the job is not queued
		 */
		public Queued {
			if (job.state() != JobState.QUEUED) {
				throw new IllegalArgumentException(
						"Only a queued job can be enqueued, not " + job.id() + " in state " + job.state());
			}
		}

	}

	/**
	 * The result of {@link #join}.
	 * @param lease the new lease
	 * @param rescued the node's jobs from earlier epochs, rescued
	 */
	record Joined(NodeLease lease, List<Rescued> rescued) {

		public Joined {
			rescued = List.copyOf(rescued);
		}

	}

	/**
	 * A rescued job.
	 * @param job its snapshot before the rescue (node, pid and start time of the dead run)
	 * @param requeued {@code true} if it was queued again for its second attempt, {@code false} if it was
	 * finalized {@code Failed(HostExited)}
	 */
	record Rescued(Job job, boolean requeued) {
	}

}
