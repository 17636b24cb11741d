package io.execra.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.execra.Event;
import io.execra.FailureReason;
import io.execra.Job;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link JobStore}: job history in memory, bounded by a number of jobs (the oldest finalized jobs are
 * evicted first). Thread-safe.
 */
public class InMemoryJobStore implements JobStore {

	/** Default bound on the number of jobs kept. */
	public static final int DEFAULT_MAX_JOBS = 10_000;

	private final int maxJobs;

	private final Map<JobId, Entry> jobs = new LinkedHashMap<>();

	private final Map<String, Instant> heartbeats = new HashMap<>();

	/**
	 * A store keeping at most {@value #DEFAULT_MAX_JOBS} jobs.
	 */
	public InMemoryJobStore() {
		this(DEFAULT_MAX_JOBS);
	}

	/**
	 * A store keeping at most {@code maxJobs} jobs.
	 * @param maxJobs the bound
	 */
	public InMemoryJobStore(int maxJobs) {
		if (maxJobs < 1) {
			throw new IllegalArgumentException("'maxJobs' must be at least 1 but was " + maxJobs);
		}
		this.maxJobs = maxJobs;
	}

	@Override
	public synchronized void upsert(List<Job> snapshots) {
		for (Job job : snapshots) {
			Entry entry = this.jobs.get(job.id());
			if (entry == null) {
				this.jobs.put(job.id(), new Entry(job));
			}
			else {
				entry.job = new Job(job.id(), entry.job.command(), job.state(), job.label(), entry.job.tags(),
						job.progress(), job.phase(), entry.job.createdAt(), job.startedAt(), job.finishedAt(), job.pid(),
						job.exit(), job.outcome(), job.outputTail(), job.node());
			}
		}
		evict();
	}

	private void evict() {
		Iterator<Map.Entry<JobId, Entry>> it = this.jobs.entrySet().iterator();
		while (this.jobs.size() > this.maxJobs && it.hasNext()) {
			if (it.next().getValue().job.isFinalized()) {
				it.remove();
			}
		}
	}

	@Override
	public synchronized void append(List<Event> events) {
		append(events, false);
	}

	/**
	 * Appends events as {@link #append} does, {@code output_appended} events included: a cluster store keeps output
	 * lines so that subscribers on other nodes read them ({@link io.execra.cluster.InMemoryClusterStore}).
	 * @param events the events
	 */
	public synchronized void appendWithOutput(List<Event> events) {
		append(events, true);
	}

	private void append(List<Event> events, boolean withOutput) {
		for (Event event : events) {
			Entry entry = this.jobs.get(event.jobId());
			if (entry != null && (withOutput || !(event instanceof Event.OutputAppended))
					&& !(event instanceof Event.Lagged)) {
				entry.events.putIfAbsent(event.seq(), event);
			}
		}
	}

	@Override
	public synchronized Optional<Job> find(JobId id) {
		Entry entry = this.jobs.get(id);
		return (entry != null) ? Optional.of(entry.job) : Optional.empty();
	}

	@Override
	public synchronized List<Job> query(JobCriteria query) {
		return matching(query).stream().skip(query.offset()).limit(query.limit()).toList();
	}

	@Override
	public synchronized long count(JobCriteria query) {
		return matching(query).size();
	}

	private List<Job> matching(JobCriteria query) {
		List<Job> result = new ArrayList<>();
		for (Entry entry : this.jobs.values()) {
			if (query.matches(entry.job)) {
				result.add(entry.job);
			}
		}
		result.sort(Comparator.comparing(Job::createdAt).thenComparing(Job::id).reversed());
		return result;
	}

	@Override
	public synchronized List<Event> events(JobId id, long afterSeq, int limit) {
		Entry entry = this.jobs.get(id);
		if (entry == null) {
			return List.of();
		}
		return entry.events.tailMap(afterSeq, false).values().stream().limit(limit).toList();
	}

	@Override
	public synchronized List<StoredFinding> findings(FindingQuery query) {
		List<StoredFinding> result = new ArrayList<>();
		for (Entry entry : this.jobs.values()) {
			if (query.jobId() != null && !query.jobId().equals(entry.job.id())) {
				continue;
			}
			for (Event event : entry.events.values()) {
				if (event instanceof Event.FindingEmitted emitted
						&& (query.severities().isEmpty() || query.severities().contains(emitted.finding().severity()))
						&& (query.code() == null || query.code().equals(emitted.finding().code()))) {
					result.add(new StoredFinding(emitted.jobId(), emitted.seq(), emitted.finding()));
				}
			}
		}
		result.sort(Comparator.comparing((StoredFinding f) -> f.finding().at()).reversed());
		return result.stream().limit(query.limit()).toList();
	}

	@Override
	public synchronized List<JobId> prune(PruneCriteria criteria, int batchSize) {
		List<JobId> doomed = new ArrayList<>();
		if (criteria.maxJobs() > 0) {
			// the oldest finalized jobs beyond the bound need an order; age rules do not
			List<Job> finalized = new ArrayList<>();
			this.jobs.values().forEach((entry) -> {
				if (prunable(entry.job, criteria)) {
					finalized.add(entry.job);
				}
			});
			finalized.sort(Comparator.comparing(InMemoryJobStore::finishedAt));
			long excess = finalized.size() - criteria.maxJobs();
			for (int i = 0; i < finalized.size() && doomed.size() < batchSize; i++) {
				if (i < excess || tooOld(finalized.get(i), criteria)) {
					doomed.add(finalized.get(i).id());
				}
			}
		}
		else {
			for (Entry entry : this.jobs.values()) {
				if (doomed.size() >= batchSize) {
					break;
				}
				if (prunable(entry.job, criteria) && tooOld(entry.job, criteria)) {
					doomed.add(entry.job.id());
				}
			}
		}
		doomed.forEach(this.jobs::remove);
		return doomed;
	}

	private static boolean prunable(Job job, PruneCriteria criteria) {
		return job.isFinalized() && (criteria.keepTag() == null || !job.tags().contains(criteria.keepTag()));
	}

	private static boolean tooOld(Job job, PruneCriteria criteria) {
		Instant before = (job.outcome() instanceof Outcome.Failed) ? criteria.failedFinishedBefore()
				: criteria.finishedBefore();
		return before != null && finishedAt(job).isBefore(before);
	}

	private static Instant finishedAt(Job job) {
		return (job.finishedAt() != null) ? job.finishedAt() : job.createdAt();
	}

	/**
	 * This store lives in one process only.
	 * @return {@code false}
	 */
	@Override
	public boolean isShared() {
		return false;
	}

	/**
	 * Writes are a few map updates: the runtime makes them on the submitting thread. A subclass whose writes may
	 * block (a test double standing for a database, say) answers {@code false}.
	 * @return {@code true}
	 */
	@Override
	public boolean writesInMemory() {
		return true;
	}

	@Override
	public synchronized void heartbeat(String nodeId, Instant now) {
		this.heartbeats.put(nodeId, now);
	}

	@Override
	public synchronized List<Job> recoverStranded(String nodeId, boolean restarted, @Nullable Instant silentBefore,
			Instant now) {
		List<Job> recovered = new ArrayList<>();
		for (Entry entry : this.jobs.values()) {
			Job job = entry.job;
			if (!job.state().isActive()) {
				continue;
			}
			String detail = strandedDetail(job.node(), nodeId, restarted, silentBefore);
			if (detail == null) {
				continue;
			}
			Outcome outcome = new Outcome.Failed(new FailureReason.HostExited(detail));
			entry.job = new Job(job.id(), job.command(), JobState.FINALIZED, job.label(), job.tags(), job.progress(),
					null, job.createdAt(), job.startedAt(), now, job.pid(), job.exit(), outcome, job.outputTail(),
					job.node());
			long seq = entry.events.isEmpty() ? 1 : entry.events.lastKey() + 1;
			entry.events.put(seq, new Event.Finalized(job.id(), seq, now, outcome));
			recovered.add(entry.job);
		}
		return recovered;
	}

	private @Nullable String strandedDetail(String jobNode, String nodeId, boolean restarted,
			@Nullable Instant silentBefore) {
		if (jobNode.equals(nodeId)) {
			return restarted ? "node " + nodeId + " restarted" : null;
		}
		if (silentBefore == null) {
			return null;
		}
		Instant last = this.heartbeats.get(jobNode);
		if (last == null) {
			return "node " + jobNode + " never wrote a heartbeat";
		}
		return last.isBefore(silentBefore) ? "node " + jobNode + " silent since " + last : null;
	}

	private static final class Entry {

		private Job job;

		private final TreeMap<Long, Event> events = new TreeMap<>();

		Entry(Job job) {
			this.job = job;
		}

	}

}
