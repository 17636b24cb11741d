package io.execra.autoconfigure.actuate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.execra.Event;
import io.execra.Job;
import io.execra.JobId;
import io.execra.store.FindingQuery;
import io.execra.store.InMemoryJobStore;
import io.execra.store.JobCriteria;
import io.execra.store.JobStore;
import io.execra.store.PruneCriteria;
import io.execra.store.StoreException;
import io.execra.store.StoredFinding;
import org.jspecify.annotations.Nullable;

/**
 * A test double: the in-memory store, which can be switched to fail every call as an unreachable database would.
 */
class SwitchableJobStore implements JobStore {

	private final InMemoryJobStore delegate = new InMemoryJobStore();

	private volatile boolean failing;

	void failing(boolean failing) {
		this.failing = failing;
	}

	private void check() {
		if (this.failing) {
			throw new StoreException("Connection refused (test double switched off)");
		}
	}

	@Override
	public void upsert(List<Job> jobs) {
		check();
		this.delegate.upsert(jobs);
	}

	@Override
	public void append(List<Event> events) {
		check();
		this.delegate.append(events);
	}

	@Override
	public Optional<Job> find(JobId id) {
		check();
		return this.delegate.find(id);
	}

	@Override
	public List<Job> query(JobCriteria query) {
		check();
		return this.delegate.query(query);
	}

	@Override
	public long count(JobCriteria query) {
		check();
		return this.delegate.count(query);
	}

	@Override
	public List<Event> events(JobId id, long afterSeq, int limit) {
		check();
		return this.delegate.events(id, afterSeq, limit);
	}

	@Override
	public List<StoredFinding> findings(FindingQuery query) {
		check();
		return this.delegate.findings(query);
	}

	@Override
	public List<JobId> prune(PruneCriteria criteria, int batchSize) {
		check();
		return this.delegate.prune(criteria, batchSize);
	}

	@Override
	public void heartbeat(String nodeId, Instant now) {
		check();
		this.delegate.heartbeat(nodeId, now);
	}

	@Override
	public List<Job> recoverStranded(String nodeId, boolean restarted, @Nullable Instant silentBefore, Instant now) {
		check();
		return this.delegate.recoverStranded(nodeId, restarted, silentBefore, now);
	}

	@Override
	public void ping() {
		check();
	}

	@Override
	public boolean supportsPing() {
		return true;
	}

}
