package io.execra.support;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.execra.Event;
import io.execra.Job;
import io.execra.JobId;
import io.execra.store.FindingQuery;
import io.execra.store.JobCriteria;
import io.execra.store.JobStore;
import io.execra.store.PruneCriteria;
import io.execra.store.StoredFinding;
import org.jspecify.annotations.Nullable;

/**
 * A store whose writes can be cut off, to play a node whose JVM died: after {@link #sever()} it writes nothing.
 */
public class SeverableStore implements JobStore {

	private final JobStore delegate;

	private volatile boolean severed;

	public SeverableStore(JobStore delegate) {
		this.delegate = delegate;
	}

	/** From now on, writes are ignored. */
	public void sever() {
		this.severed = true;
	}

	@Override
	public void upsert(List<Job> jobs) {
		if (!this.severed) {
			this.delegate.upsert(jobs);
		}
	}

	@Override
	public void append(List<Event> events) {
		if (!this.severed) {
			this.delegate.append(events);
		}
	}

	@Override
	public Optional<Job> find(JobId id) {
		return this.delegate.find(id);
	}

	@Override
	public List<Job> query(JobCriteria query) {
		return this.delegate.query(query);
	}

	@Override
	public long count(JobCriteria query) {
		return this.delegate.count(query);
	}

	@Override
	public List<Event> events(JobId id, long afterSeq, int limit) {
		return this.delegate.events(id, afterSeq, limit);
	}

	@Override
	public List<StoredFinding> findings(FindingQuery query) {
		return this.delegate.findings(query);
	}

	@Override
	public List<JobId> prune(PruneCriteria criteria, int batchSize) {
		return this.severed ? List.of() : this.delegate.prune(criteria, batchSize);
	}

	@Override
	public void heartbeat(String nodeId, Instant now) {
		if (!this.severed) {
			this.delegate.heartbeat(nodeId, now);
		}
	}

	@Override
	public List<Job> recoverStranded(String nodeId, boolean restarted, @Nullable Instant silentBefore, Instant now) {
		return this.severed ? List.of() : this.delegate.recoverStranded(nodeId, restarted, silentBefore, now);
	}

	@Override
	public boolean isShared() {
		return this.delegate.isShared();
	}

}
