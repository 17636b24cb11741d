package io.execra.internal.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;

import io.execra.JobId;
import io.execra.cluster.ClaimRequest;
import io.execra.cluster.ClaimedJob;
import io.execra.cluster.ClusterSettings;
import io.execra.cluster.LeaseLostException;
import io.execra.cluster.NodeLease;
import io.execra.internal.PollWait;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims queued jobs for this node on a thread of its own: when woken (a job was queued here or signalled by the
 * database, a local job ended, jobs were rescued) and at least every poll interval, it claims up to the node's free
 * capacity, at most a claim batch at a time, of the presets the node has, within the cluster-wide limits. Each poll
 * it also reads the cancel requests of the jobs it owns, for databases that cannot signal them.
 */
public final class ClaimLoop {

	private static final Logger logger = LoggerFactory.getLogger(ClaimLoop.class);

	/** What runs the claimed jobs. */
	public interface Runner {

		/** @return how many more jobs the node may run now */
		int freeSlots();

		/**
		 * Starts a claimed job; the node owns it now.
		 * @param lease the lease the job was claimed under
		 * @param claimed the job
		 */
		void start(NodeLease lease, ClaimedJob claimed);

		/**
		 * Cancels a job this node runs, if it does.
		 * @param id the job
		 */
		void cancel(JobId id);

	}

	private final NodeMembership membership;

	private final ClusterSettings settings;

	private final Set<String> presets;

	private final ClusterCounters counters;

	private final Clock clock;

	/** Woken when there may be work or room for it, or to stop; waits at most the poll interval. */
	private final PollWait woken;

	private volatile boolean stopped;

	private long lastCancelPoll;

	/** A claim that failed without telling whether it committed: what it took is found and run first. */
	private @Nullable InDoubt inDoubt;

	/**
	 * @param membership the node's lease
	 * @param settings the cluster settings: store, claim batch, poll interval, limits
	 * @param presets the presets this node has
	 * @param counters counts the claims
	 * @param clock the runtime's clock, for the claim latency
	 */
	public ClaimLoop(NodeMembership membership, ClusterSettings settings, Set<String> presets,
			ClusterCounters counters, Clock clock) {
		this.membership = membership;
		this.settings = settings;
		this.presets = Set.copyOf(presets);
		this.counters = counters;
		this.clock = clock;
		this.woken = new PollWait(settings.pollInterval());
	}

	/**
	 * Starts claiming.
	 * @param runner runs what is claimed
	 * @param threads makes the loop's thread
	 */
	public void start(Runner runner, ThreadFactory threads) {
		threads.newThread(() -> run(runner)).start();
	}

	/** Claims as soon as it can: there may be work, or room for it. */
	public void wake() {
		this.woken.wake();
	}

	/** Stops claiming; jobs already claimed run on. */
	public void stop() {
		this.stopped = true;
		this.woken.wake();
	}

	private void run(Runner runner) {
		while (!this.stopped) {
			boolean more = false;
			NodeLease lease = this.membership.current();
			if (lease != null) {
				try {
					resolveInDoubt(lease, runner);
					more = claim(lease, runner);
					pollCancels(lease, runner);
				}
				catch (LeaseLostException ex) {
					this.membership.lost(lease, "the store rejected its claim");
				}
				catch (RuntimeException ex) {
					logger.warn("Node {} could not claim jobs: {}", lease.nodeId(), ex.toString());
				}
			}
			if (!more) {
				awaitWake();
			}
		}
	}

	/** @return whether it claimed all it asked for, so that more may be waiting */
	private boolean claim(NodeLease lease, Runner runner) {
		int max = Math.min(runner.freeSlots(), this.settings.claimBatch());
		if (max <= 0) {
			return false;
		}
		ClaimRequest request = new ClaimRequest(max, this.presets, this.settings.limits());
		List<ClaimedJob> claimed;
		try {
			claimed = this.settings.store().claim(lease, request);
		}
		catch (LeaseLostException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			// the commit may have reached the database with its answer lost: those jobs are this node's to run
			this.inDoubt = new InDoubt(lease, request.id());
			throw ex;
		}
		start(lease, claimed, runner);
		return claimed.size() == max;
	}

	/**
	 * Runs what a claim that failed without an answer took, once the store answers again: nobody else may run
	 * those jobs, and without this they would stay claimed by a live node for ever.
	 */
	private void resolveInDoubt(NodeLease lease, Runner runner) {
		InDoubt doubt = this.inDoubt;
		if (doubt == null) {
			return;
		}
		if (!doubt.lease().equals(lease)) {
			// lost with the lease: whatever it took was rescued with the lease's other jobs
			this.inDoubt = null;
			return;
		}
		List<ClaimedJob> found = this.settings.store().claimed(lease, doubt.claimId());
		this.inDoubt = null;
		if (!found.isEmpty()) {
			logger.warn("Node {} runs {} jobs that a claim took whose answer was lost: {}", lease.nodeId(),
					found.size(), found.stream().map((job) -> job.job().id()).toList());
		}
		start(lease, found, runner);
	}

	private void start(NodeLease lease, List<ClaimedJob> claimed, Runner runner) {
		for (ClaimedJob job : claimed) {
			this.counters.claimed(Duration.between(job.job().createdAt(), this.clock.instant()).toNanos());
			try {
				runner.start(lease, job);
			}
			catch (RuntimeException ex) {
				logger.error("Node {} could not start claimed job {}", lease.nodeId(), job.job().id(), ex);
			}
		}
	}

	private void pollCancels(NodeLease lease, Runner runner) {
		long now = System.nanoTime();
		if (now - this.lastCancelPoll < this.settings.pollInterval().toNanos()) {
			return;
		}
		this.lastCancelPoll = now;
		for (JobId id : this.settings.store().cancelRequests(lease)) {
			runner.cancel(id);
		}
	}

	private void awaitWake() {
		try {
			this.woken.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.stopped = true;
		}
	}

	/** A claim whose commit may have reached the database: its lease and its id. */
	private record InDoubt(NodeLease lease, UUID claimId) {
	}

}
