package io.execra.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.execra.Event;
import io.execra.FailureReason;
import io.execra.Job;
import io.execra.JobId;
import io.execra.Outcome;
import io.execra.store.InMemoryJobStore;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ClusterStore} in memory, for several runtimes in one JVM (tests, plain Java): the shared table is an
 * {@link InMemoryJobStore} the runtimes' job stores share too, so that they read what this writes, and the database
 * clock is a {@link Clock} (tests advance it to lapse leases). Thread-safe: every method is one atomic step under
 * the job store's lock, as a transaction would be. {@link #signals()} tells listeners in this JVM, synchronously
 * once the write is done, as {@code NOTIFY} does at commit (unless built without signals, to test polling).
 */
public class InMemoryClusterStore implements ClusterStore {

	private static final Comparator<QueuedEntry> QUEUE_ORDER = Comparator.comparingInt(QueuedEntry::priority)
		.reversed()
		.thenComparingLong(QueuedEntry::order);

	private final InMemoryJobStore jobs;

	private final Clock clock;

	private final @Nullable InProcessSignals signals;

	private final Map<String, NodeRow> nodes = new HashMap<>();

	private final Map<JobId, JobRow> rows = new LinkedHashMap<>();

	private final TreeSet<QueuedEntry> queue = new TreeSet<>(QUEUE_ORDER);

	/** Claimed jobs not yet finalized: what cluster-wide limits count. */
	private final Set<JobId> claimed = new LinkedHashSet<>();

	private long queueOrder;

	/**
	 * A store with in-process signals.
	 * @param jobs the job store the runtimes share
	 * @param clock the database clock
	 */
	public InMemoryClusterStore(InMemoryJobStore jobs, Clock clock) {
		this(jobs, clock, true);
	}

	/**
	 * A store with or without in-process signals.
	 * @param jobs the job store the runtimes share
	 * @param clock the database clock
	 * @param signals whether {@link #signals()} offers signals; without, nodes must poll (as on MariaDB)
	 */
	public InMemoryClusterStore(InMemoryJobStore jobs, Clock clock, boolean signals) {
		this.jobs = Objects.requireNonNull(jobs, "jobs");
		this.clock = Objects.requireNonNull(clock, "clock");
		this.signals = signals ? new InProcessSignals() : null;
	}

	@Override
	public Joined join(String nodeId, int capacity, Duration lease) {
		PendingSignals pending = new PendingSignals(this.signals);
		Joined joined;
		synchronized (this.jobs) {
			Instant now = now();
			NodeRow row = this.nodes.get(nodeId);
			long epoch = (row != null) ? row.epoch + 1 : 1;
			this.nodes.put(nodeId, new NodeRow(nodeId, epoch, now, now.plus(lease), 0, capacity));
			List<Rescued> rescued = rescueJobsOf(nodeId, "node " + nodeId + " restarted", now, pending);
			joined = new Joined(new NodeLease(nodeId, epoch), rescued);
		}
		pending.send();
		return joined;
	}

	@Override
	public boolean renew(NodeLease lease, Duration length, int running) {
		synchronized (this.jobs) {
			Instant now = now();
			NodeRow row = holding(lease, now);
			if (row == null) {
				return false;
			}
			row.leaseUntil = now.plus(length);
			row.running = running;
			return true;
		}
	}

	@Override
	public void leave(NodeLease lease) {
		synchronized (this.jobs) {
			NodeRow row = this.nodes.get(lease.nodeId());
			if (row != null && row.epoch == lease.epoch()) {
				Instant now = now();
				if (row.leaseUntil.isAfter(now)) {
					row.leaseUntil = now;
				}
			}
		}
	}

	@Override
	public void enqueueAll(List<Queued> queued) {
		Set<JobId> ids = new HashSet<>();
		for (Queued each : queued) {
			if (!ids.add(each.job().id())) {
				throw new IllegalArgumentException("Job " + each.job().id() + " is enqueued twice");
			}
		}
		PendingSignals pending = new PendingSignals(this.signals);
		synchronized (this.jobs) {
			for (Queued each : queued) {
				JobId id = each.job().id();
				if (this.rows.containsKey(id) || this.jobs.find(id).isPresent()) {
					throw new IllegalArgumentException("Job " + id + " is already stored");
				}
			}
			for (Queued each : queued) {
				Job job = each.job();
				this.jobs.upsert(List.of(job));
				this.jobs.append(List.of(new Event.JobCreated(job.id(), 1, job.createdAt(), job.command())));
				JobRow row = new JobRow(job.id(), each.recipe(), groupsOf(job, each.recipe()));
				this.rows.put(job.id(), row);
				queue(row);
			}
			if (!queued.isEmpty()) {
				pending.queued();
			}
		}
		pending.send();
	}

	@Override
	public List<ClaimedJob> claim(NodeLease lease, ClaimRequest request) {
		synchronized (this.jobs) {
			Instant now = now();
			if (holding(lease, now) == null) {
				throw new LeaseLostException(lease);
			}
			Map<String, Integer> running = runningByGroup(request.limits().keySet());
			List<ClaimedJob> result = new ArrayList<>();
			for (QueuedEntry entry : List.copyOf(this.queue)) {
				if (result.size() >= request.max()) {
					break;
				}
				JobRow row = this.rows.get(entry.id());
				if (!mayClaim(row.recipe, lease, request) || !withinLimits(row.groups, request.limits(), running)) {
					continue;
				}
				this.queue.remove(entry);
				row.queued = null;
				row.owner = lease;
				row.claimId = request.id();
				this.claimed.add(row.id);
				row.groups.forEach((group) -> running.merge(group, 1, Integer::sum));
				Job stored = this.jobs.find(row.id).orElseThrow();
				Job job = JobSnapshots.withNode(stored, lease.nodeId());
				this.jobs.upsert(List.of(job));
				result.add(new ClaimedJob(job, row.recipe, row.attempt));
			}
			return result;
		}
	}

	@Override
	public List<ClaimedJob> claimed(NodeLease lease, UUID claimId) {
		synchronized (this.jobs) {
			List<ClaimedJob> result = new ArrayList<>();
			for (JobId id : this.claimed) {
				JobRow row = this.rows.get(id);
				if (lease.equals(row.owner) && claimId.equals(row.claimId)) {
					result.add(new ClaimedJob(this.jobs.find(id).orElseThrow(), row.recipe, row.attempt));
				}
			}
			return result;
		}
	}

	private static boolean mayClaim(JobRecipe recipe, NodeLease lease, ClaimRequest request) {
		return (recipe.pinnedNode() != null) ? recipe.pinnedNode().equals(lease.nodeId())
				: request.presets().contains(recipe.preset());
	}

	private static boolean withinLimits(Set<String> groups, Map<String, Integer> limits, Map<String, Integer> running) {
		for (String group : groups) {
			Integer limit = limits.get(group);
			if (limit != null && running.getOrDefault(group, 0) >= limit) {
				return false;
			}
		}
		return true;
	}

	private Map<String, Integer> runningByGroup(Set<String> limited) {
		Map<String, Integer> running = new HashMap<>();
		if (!limited.isEmpty()) {
			for (JobId id : this.claimed) {
				for (String group : this.rows.get(id).groups) {
					if (limited.contains(group)) {
						running.merge(group, 1, Integer::sum);
					}
				}
			}
		}
		return running;
	}

	@Override
	public int write(NodeLease lease, List<Job> jobs, List<Event> events) {
		PendingSignals pending = new PendingSignals(this.signals);
		int dropped = 0;
		synchronized (this.jobs) {
			if (holding(lease, now()) == null) {
				throw new LeaseLostException(lease);
			}
			List<Job> kept = new ArrayList<>();
			for (Job job : jobs) {
				JobRow row = this.rows.get(job.id());
				if (row == null && this.jobs.find(job.id()).isEmpty()) {
					// a job that never was in the shared table (a spawn that failed at once): nobody else owns it
					row = new JobRow(job.id(), JobRecipe.pinned(lease.nodeId(), false, 0), groupsOf(job, null));
					row.owner = lease;
					this.rows.put(job.id(), row);
				}
				if (row == null || !lease.equals(row.owner)) {
					dropped++;
					continue;
				}
				kept.add(job);
				if (job.isFinalized()) {
					this.claimed.remove(job.id());
				}
				else {
					this.claimed.add(job.id());
				}
			}
			this.jobs.upsert(kept);
			List<Event> keptEvents = new ArrayList<>();
			for (Event event : events) {
				JobRow row = this.rows.get(event.jobId());
				if (event instanceof Event.Lagged) {
					continue;
				}
				if (row == null || !lease.equals(row.owner)) {
					dropped++;
					continue;
				}
				keptEvents.add(event);
				pending.eventsWritten(event.jobId());
			}
			this.jobs.appendWithOutput(keptEvents);
		}
		pending.send();
		return dropped;
	}

	@Override
	public List<Rescued> rescue(NodeLease rescuer) {
		PendingSignals pending = new PendingSignals(this.signals);
		List<Rescued> rescued = new ArrayList<>();
		synchronized (this.jobs) {
			Instant now = now();
			if (holding(rescuer, now) == null) {
				throw new LeaseLostException(rescuer);
			}
			Set<String> dead = new HashSet<>();
			for (NodeRow node : this.nodes.values()) {
				if (!node.leaseUntil.isAfter(now) && ownsActiveJobs(node.id)) {
					dead.add(node.id);
				}
			}
			for (String nodeId : dead) {
				NodeRow node = this.nodes.get(nodeId);
				// the epoch first: whatever the dead node still sends is rejected from now on
				node.epoch++;
				rescued.addAll(rescueJobsOf(nodeId, "node " + nodeId + " lost its lease", now, pending));
			}
		}
		pending.send();
		return rescued;
	}

	private boolean ownsActiveJobs(String nodeId) {
		for (JobId id : this.claimed) {
			if (this.rows.get(id).owner.nodeId().equals(nodeId)) {
				return true;
			}
		}
		return false;
	}

	/** Finalizes or queues again every active job {@code nodeId} owned; the caller bumped its epoch already. */
	private List<Rescued> rescueJobsOf(String nodeId, String detail, Instant now, PendingSignals pending) {
		List<Rescued> rescued = new ArrayList<>();
		for (JobId id : List.copyOf(this.claimed)) {
			JobRow row = this.rows.get(id);
			if (!row.owner.nodeId().equals(nodeId)) {
				continue;
			}
			this.claimed.remove(id);
			row.owner = null;
			Job job = this.jobs.find(id).orElse(null);
			if (job == null || job.isFinalized()) {
				continue;
			}
			long seq = lastSeq(id) + 1;
			if (row.recipe.restartable() && row.attempt == 1 && !row.cancelRequested) {
				row.attempt = 2;
				this.jobs.upsert(List.of(JobSnapshots.requeued(job)));
				this.jobs.append(List.of(new Event.WarningDetected(id, seq, now, "host_exited",
						"The job's " + detail + "; it is queued again for attempt 2")));
				queue(row);
				pending.queued();
				rescued.add(new Rescued(job, true));
			}
			else {
				Outcome outcome = new Outcome.Failed(new FailureReason.HostExited(detail));
				this.jobs.upsert(List.of(JobSnapshots.finalized(job, outcome, now)));
				this.jobs.append(List.of(new Event.Finalized(id, seq, now, outcome)));
				rescued.add(new Rescued(job, false));
			}
			pending.eventsWritten(id);
		}
		return rescued;
	}

	@Override
	public boolean requestCancel(JobId id) {
		PendingSignals pending = new PendingSignals(this.signals);
		synchronized (this.jobs) {
			JobRow row = this.rows.get(id);
			Job job = this.jobs.find(id).orElse(null);
			if (row == null || job == null || job.isFinalized()) {
				return false;
			}
			if (row.queued != null) {
				Instant now = now();
				this.queue.remove(row.queued);
				row.queued = null;
				Outcome outcome = new Outcome.Cancelled(List.of());
				this.jobs.upsert(List.of(JobSnapshots.finalized(job, outcome, now)));
				this.jobs.append(List.of(new Event.Finalized(id, lastSeq(id) + 1, now, outcome)));
				pending.eventsWritten(id);
			}
			else if (row.owner != null) {
				row.cancelRequested = true;
				pending.cancelled(id);
			}
			else {
				return false;
			}
		}
		pending.send();
		return true;
	}

	@Override
	public List<JobId> cancelRequests(NodeLease lease) {
		synchronized (this.jobs) {
			List<JobId> ids = new ArrayList<>();
			for (JobId id : this.claimed) {
				JobRow row = this.rows.get(id);
				if (row.cancelRequested && lease.equals(row.owner)) {
					ids.add(id);
				}
			}
			return ids;
		}
	}

	@Override
	public List<NodeInfo> nodes() {
		synchronized (this.jobs) {
			Instant now = now();
			return this.nodes.values()
				.stream()
				.sorted(Comparator.comparing((NodeRow node) -> node.id))
				.map((node) -> new NodeInfo(node.id, node.epoch, node.joinedAt, node.leaseUntil,
						node.leaseUntil.isAfter(now), node.running, node.capacity))
				.toList();
		}
	}

	@Override
	public Optional<ClusterSignals> signals() {
		return Optional.ofNullable(this.signals);
	}

	private Instant now() {
		return this.clock.instant();
	}

	private @Nullable NodeRow holding(NodeLease lease, Instant now) {
		NodeRow row = this.nodes.get(lease.nodeId());
		return (row != null && row.epoch == lease.epoch() && row.leaseUntil.isAfter(now)) ? row : null;
	}

	private void queue(JobRow row) {
		row.queued = new QueuedEntry(row.id, row.recipe.priority(), ++this.queueOrder);
		this.queue.add(row.queued);
	}

	private long lastSeq(JobId id) {
		List<Event> events = this.jobs.events(id, 0, Integer.MAX_VALUE);
		return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
	}

	private static Set<String> groupsOf(Job job, @Nullable JobRecipe recipe) {
		Set<String> groups = new HashSet<>(job.tags());
		if (recipe != null && recipe.preset() != null) {
			groups.add(recipe.preset());
		}
		return Set.copyOf(groups);
	}

	private record QueuedEntry(JobId id, int priority, long order) {
	}

	private static final class NodeRow {

		private final String id;

		private long epoch;

		private final Instant joinedAt;

		private Instant leaseUntil;

		private int running;

		private final int capacity;

		NodeRow(String id, long epoch, Instant joinedAt, Instant leaseUntil, int running, int capacity) {
			this.id = id;
			this.epoch = epoch;
			this.joinedAt = joinedAt;
			this.leaseUntil = leaseUntil;
			this.running = running;
			this.capacity = capacity;
		}

	}

	private static final class JobRow {

		private final JobId id;

		private final JobRecipe recipe;

		private final Set<String> groups;

		private @Nullable NodeLease owner;

		private @Nullable UUID claimId;

		private @Nullable QueuedEntry queued;

		private int attempt = 1;

		private boolean cancelRequested;

		JobRow(JobId id, JobRecipe recipe, Set<String> groups) {
			this.id = id;
			this.recipe = recipe;
			this.groups = groups;
		}

	}

}
