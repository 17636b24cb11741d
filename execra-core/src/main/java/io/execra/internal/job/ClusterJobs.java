package io.execra.internal.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

import io.execra.Command;
import io.execra.CommandTemplate;
import io.execra.Event;
import io.execra.ExecraSettings;
import io.execra.FailureReason;
import io.execra.Job;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.Progress;
import io.execra.cluster.ClaimedJob;
import io.execra.cluster.ClusterSettings;
import io.execra.cluster.ClusterSignals;
import io.execra.cluster.ClusterStore;
import io.execra.cluster.JobRecipe;
import io.execra.cluster.NodeLease;
import io.execra.internal.cluster.ClaimLoop;
import io.execra.internal.cluster.ClusterCounters;
import io.execra.internal.cluster.EventWakeups;
import io.execra.internal.cluster.FencedWrites;
import io.execra.internal.cluster.GroupedEnqueues;
import io.execra.internal.cluster.NodeMembership;
import io.execra.internal.cluster.NodeView;
import io.execra.internal.cluster.SignalRouter;
import io.execra.internal.delivery.Listeners;
import io.execra.internal.process.MarkedProcesses;
import io.execra.internal.store.StoreWriter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs of a runtime in cluster mode: a spawn is checked here and queued in the shared table; the claim loop
 * hands the jobs this node claims to local drivers, under the node's lease; when the lease is lost, every local job
 * is killed at once and abandoned to the rescuer. A pinned job (a command built in code) waits in a map of this
 * node until this node claims it.
 */
final class ClusterJobs implements NodeMembership.Member, ClaimLoop.Runner {

	private static final Logger logger = LoggerFactory.getLogger(ClusterJobs.class);

	/** The most spawns queued in one transaction: a group's rows and events stay one JDBC batch or a few. */
	private static final int MAX_ENQUEUE_GROUP = 500;

	private final ExecraSettings settings;

	private final Listeners listeners;

	private final ClusterSettings cluster;

	private final ClusterCounters counters;

	private final NodeMembership membership;

	private final FencedWrites fencedWrites;

	private final EventWakeups wakeups = new EventWakeups();

	private final GroupedEnqueues enqueues;

	private final ConcurrentMap<JobId, CommandChecks.Checked> pinned = new ConcurrentHashMap<>();

	private @Nullable LocalJobs local;

	private @Nullable ClaimLoop claims;

	private @Nullable AutoCloseable signals;

	/**
	 * @param settings the runtime's settings, with their cluster settings
	 * @param listeners the runtime's listeners
	 */
	ClusterJobs(ExecraSettings settings, Listeners listeners) {
		this.settings = settings;
		this.listeners = listeners;
		this.cluster = Objects.requireNonNull(settings.cluster(), "cluster");
		this.counters = new ClusterCounters();
		this.membership = new NodeMembership(settings.nodeId(), settings.maxConcurrent(), this.cluster, this.counters);
		this.fencedWrites = new FencedWrites(this.cluster.store(), this.membership, this.counters);
		this.enqueues = new GroupedEnqueues(this.cluster.store(), MAX_ENQUEUE_GROUP,
				(id) -> this.settings.store().find(id).isPresent());
	}

	/** @return the writes of the store writer, fenced by the node's lease */
	FencedWrites fencedWrites() {
		return this.fencedWrites;
	}

	/** @return readers woken by the database's signals */
	EventWakeups wakeups() {
		return this.wakeups;
	}

	/** @return the cluster settings */
	ClusterSettings settings() {
		return this.cluster;
	}

	/** @return what the runtime shows of its node */
	NodeView view() {
		return new NodeView(this.membership, this.cluster.store(), this.counters);
	}

	/**
	 * Joins the cluster and starts the heartbeat, the claim loop and the signals.
	 * @param local the runtime's parts that run local jobs
	 * @param threads makes the cluster's threads
	 */
	void start(LocalJobs local, ThreadFactory threads) {
		this.local = local;
		// before the node claims anything: what carries its id can only be left by an earlier run of it, which
		// may still run jobs that the cluster gave to others, or queued again for this node
		local.killEarlierRuns();
		ClaimLoop loop = new ClaimLoop(this.membership, this.cluster, this.settings.presets().keySet(), this.counters,
				this.settings.clock());
		this.claims = loop;
		this.membership.start(this, threads);
		loop.start(this, threads);
		ClusterSignals signals = this.cluster.store().signals().orElse(null);
		if (signals != null) {
			this.signals = signals.listen(new SignalRouter(loop, this::cancel, this.wakeups));
		}
	}

	// ---- spawn ----------------------------------------------------------------------------------------------------

	/**
	 * Queues a checked job in the shared table; any node with its preset (or, pinned, this node) may claim it.
	 * @param checked the command, checked by this node's limits and policy already
	 * @param preset the preset it was rendered from, or {@code null} for a command built in code
	 * @param parameters the preset's placeholder values
	 * @return the job's id
	 */
	JobId enqueue(CommandChecks.Checked checked, @Nullable String preset, Map<String, String> parameters) {
		JobId id = JobId.generate(this.settings.clock());
		Instant now = this.settings.clock().instant();
		Command command = checked.command();
		Job queued = new Job(id, checked.spec(), JobState.QUEUED, checked.spec().label(), checked.spec().tags(),
				Progress.UNKNOWN, null, now, null, null, null, null, null, null, this.settings.nodeId());
		JobRecipe recipe = (preset != null)
				? JobRecipe.preset(preset, parameters, command.restartable(), command.priority())
				: JobRecipe.pinned(this.settings.nodeId(), command.restartable(), command.priority());
		if (preset == null) {
			this.pinned.put(id, checked);
		}
		try {
			this.enqueues.enqueue(queued, recipe);
		}
		catch (RuntimeException ex) {
			this.pinned.remove(id);
			throw ex;
		}
		this.listeners.jobCreated(queued);
		wakeClaims();
		return id;
	}

	void wakeClaims() {
		ClaimLoop loop = this.claims;
		if (loop != null) {
			loop.wake();
		}
	}

	// ---- claimed jobs ---------------------------------------------------------------------------------------------

	@Override
	public int freeSlots() {
		return requireLocal().freeSlots();
	}

	@Override
	public void start(NodeLease lease, ClaimedJob claimed) {
		Job job = claimed.job();
		CommandChecks.Checked checked;
		try {
			checked = commandOf(claimed);
		}
		catch (RuntimeException ex) {
			String error = (ex.getMessage() != null) ? ex.getMessage() : ex.toString();
			logger.warn("Node {} cannot run claimed job {}: {}", this.settings.nodeId(), job.id(), error);
			failClaimed(job, "cannot run on node " + this.settings.nodeId() + ": " + error);
			return;
		}
		if (claimed.attempt() > 1) {
			// this node may have run the first attempt before it lost its lease: its writes end before these start
			requireLocal().awaitEnded(job.id());
			this.fencedWrites.resume(job.id());
		}
		long afterSeq = (claimed.attempt() > 1) ? lastStoredSeq(job.id()) : 0;
		// its processes carry the lease they run under, so that losing it kills them and no other node's
		checked = new CommandChecks.Checked(checked.command(),
				MarkedProcesses.markNode(checked.environment(), lease.nodeId(), lease.epoch()), checked.spec());
		requireLocal().start(job.id(), job.createdAt(), afterSeq, checked);
	}

	private CommandChecks.Checked commandOf(ClaimedJob claimed) {
		JobRecipe recipe = claimed.recipe();
		if (recipe.preset() == null) {
			CommandChecks.Checked checked = claimed.recipe().restartable() && claimed.attempt() == 1
					? this.pinned.get(claimed.job().id()) : this.pinned.remove(claimed.job().id());
			if (checked == null) {
				throw new IllegalStateException("its command was built in code on this node, which no longer has it");
			}
			return checked;
		}
		CommandTemplate template = this.settings.presets().get(recipe.preset());
		if (template == null) {
			throw new IllegalStateException("this node has no preset '" + recipe.preset() + "'");
		}
		return requireLocal().check(template.render(recipe.parameters()));
	}

	private long lastStoredSeq(JobId id) {
		List<Event> events = this.settings.store().events(id, 0, Integer.MAX_VALUE);
		return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
	}

	/** Finalizes a claimed job this node cannot run, through the fenced writes. */
	private void failClaimed(Job job, String error) {
		Instant now = this.settings.clock().instant();
		Outcome outcome = new Outcome.Failed(new FailureReason.SpawnFailed(error));
		Job failed = new Job(job.id(), job.command(), JobState.FINALIZED, job.label(), job.tags(), job.progress(),
				job.phase(), job.createdAt(), null, now, null, null, outcome, null, this.settings.nodeId());
		requireLocal().storeWriter()
			.submit(failed, List.of(new Event.Finalized(job.id(), lastStoredSeq(job.id()) + 1, now, outcome)));
	}

	@Override
	public void cancel(JobId id) {
		requireLocal().cancelIfLocal(id);
	}

	/** A local job ended: its slot is free for the next claim. */
	void released() {
		wakeClaims();
	}

	// ---- membership -----------------------------------------------------------------------------------------------

	@Override
	public int running() {
		return requireLocal().running();
	}

	@Override
	public void leaseLost(NodeLease lease) {
		List<JobId> abandoned = requireLocal().killAll(lease, this.fencedWrites::abandon);
		if (!abandoned.isEmpty()) {
			logger.error("Node {} killed its {} jobs, whose outcome is now the rescuer's: {}", lease.nodeId(),
					abandoned.size(), abandoned);
		}
	}

	@Override
	public void joined(List<ClusterStore.Rescued> rescued) {
		List<Job> jobs = new ArrayList<>(rescued.size());
		for (ClusterStore.Rescued job : rescued) {
			// those abandoned by this JVM were killed then; a search for their marks now could find their next run
			if (!this.fencedWrites.isAbandoned(job.job().id())) {
				jobs.add(job.job());
			}
		}
		requireLocal().killLeftovers(jobs);
		rescued(rescued);
	}

	@Override
	public void rescued(List<ClusterStore.Rescued> rescued) {
		if (rescued.stream().anyMatch(ClusterStore.Rescued::requeued)) {
			wakeClaims();
		}
	}

	// ---- shutdown -------------------------------------------------------------------------------------------------

	/**
	 * Stops claiming jobs and listening to signals: the runtime shuts down. The jobs pinned to this node that are
	 * still queued are cancelled, since no other node may run them.
	 */
	void stopClaiming() {
		ClaimLoop loop = this.claims;
		if (loop != null) {
			loop.stop();
		}
		for (JobId id : List.copyOf(this.pinned.keySet())) {
			try {
				if (this.settings.store().find(id).map((job) -> job.state() == JobState.QUEUED).orElse(false)) {
					this.cluster.store().requestCancel(id);
					this.pinned.remove(id);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Could not cancel job {}, queued for this node only, at shutdown: {}", id, ex.toString());
			}
		}
		AutoCloseable listening = this.signals;
		if (listening != null) {
			try {
				listening.close();
			}
			catch (Exception ex) {
				logger.debug("Could not stop listening to cluster signals", ex);
			}
		}
	}

	/** Leaves the cluster, once the local jobs are done and their writes flushed. */
	void leave() {
		this.membership.stop();
	}

	/** How long a reader on this node waits for another node's events without a signal. */
	Duration relayPoll() {
		// short without signals, so that a relayed event is late by about this much at most
		Duration fallback = Duration.ofMillis(this.cluster.store().signals().isPresent() ? 100 : 50);
		Duration poll = this.cluster.pollInterval();
		return (poll.compareTo(fallback) < 0) ? poll : fallback;
	}

	private LocalJobs requireLocal() {
		LocalJobs jobs = this.local;
		if (jobs == null) {
			throw new IllegalStateException("The cluster node is not started");
		}
		return jobs;
	}

	/** What the runtime does with the jobs this node runs. */
	interface LocalJobs {

		/** @return how many more jobs may start now */
		int freeSlots();

		/** @return how many jobs run now */
		int running();

		/**
		 * Checks a command as a spawn on this node would.
		 * @param command the command
		 * @return the checked command
		 */
		CommandChecks.Checked check(Command command);

		/**
		 * Starts a claimed job on this node.
		 * @param id the job
		 * @param createdAt when it was queued
		 * @param afterSeq the last seq the store has of the job (0 for a first attempt)
		 * @param checked its command
		 */
		void start(JobId id, Instant createdAt, long afterSeq, CommandChecks.Checked checked);

		/**
		 * Cancels a job if this node runs it.
		 * @param id the job
		 */
		void cancelIfLocal(JobId id);

		/**
		 * Waits, within the store write timeout, for an earlier run of a job on this node to be finalized.
		 * @param id the job
		 */
		void awaitEnded(JobId id);

		/**
		 * Kills the process groups of every active local job at once, and every process marked with the lost
		 * lease's node id and epoch.
		 * @param lease the lost lease
		 * @param abandon told of each job before its group is killed
		 * @return the jobs
		 */
		List<JobId> killAll(NodeLease lease, Consumer<JobId> abandon);

		/** Kills every process marked with this node's id: only an earlier run of this node can have left them. */
		void killEarlierRuns();

		/**
		 * Kills what jobs of this node's earlier run left running.
		 * @param jobs the jobs
		 */
		void killLeftovers(List<Job> jobs);

		/** @return the store writer */
		StoreWriter storeWriter();

	}

}
