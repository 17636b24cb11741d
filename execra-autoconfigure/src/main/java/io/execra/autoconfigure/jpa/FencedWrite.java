package io.execra.autoconfigure.jpa;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.execra.Event;
import io.execra.Job;
import io.execra.cluster.NodeLease;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One {@link JdbcClusterStore#write}, in its transaction, after the node's row was read with a share lock and found
 * to hold the lease: keeps the records of jobs this lease owns and drops the others. While the share lock is held no
 * rescue can take this node's jobs (it must update the node's row first), so what it owns cannot change before the
 * commit; the finalization of a job is still written {@code WHERE OWNER_NODE = ? AND OWNER_EPOCH = ?}.
 */
final class FencedWrite {

	private final JdbcTemplate jdbc;

	private final ClusterTables tables;

	private final JpaJobStore jobs;

	FencedWrite(JdbcTemplate jdbc, ClusterTables tables, JpaJobStore jobs) {
		this.jdbc = jdbc;
		this.tables = tables;
		this.jobs = jobs;
	}

	/** @return how many records were dropped because this lease does not own their job */
	int write(NodeLease lease, List<Job> snapshots, List<Event> events, Set<String> notices) {
		Set<UUID> touched = new LinkedHashSet<>();
		snapshots.forEach((job) -> touched.add(job.id().value()));
		events.forEach((event) -> touched.add(event.jobId().value()));
		Set<UUID> owned = new HashSet<>();
		Set<UUID> inTable = new HashSet<>();
		List<Object> arguments = new ArrayList<>();
		touched.forEach((id) -> arguments.add(id.toString()));
		this.jdbc.query("SELECT JOB_ID, OWNER_NODE, OWNER_EPOCH FROM " + this.tables.job() + " WHERE JOB_ID IN "
				+ ClusterTables.placeholders(touched), (rs) -> {
					UUID id = UUID.fromString(rs.getString("JOB_ID").trim());
					inTable.add(id);
					if (lease.nodeId().equals(rs.getString("OWNER_NODE")) && rs.getLong("OWNER_EPOCH") == lease.epoch()
							&& !rs.wasNull()) {
						owned.add(id);
					}
				}, arguments.toArray());
		List<Job> newJobs = newJobs(snapshots, inTable);
		List<Job> kept = new ArrayList<>();
		List<Event> keptEvents = new ArrayList<>();
		int dropped = 0;
		newJobs.forEach((job) -> owned.add(job.id().value()));
		for (Job job : snapshots) {
			if (owned.contains(job.id().value())) {
				kept.add(job);
			}
			else {
				dropped++;
			}
		}
		for (Event event : events) {
			if (event instanceof Event.Lagged) {
				continue;
			}
			if (owned.contains(event.jobId().value())) {
				keptEvents.add(event);
				notices.add(PostgresClusterSignals.EVENTS + event.jobId());
			}
			else {
				dropped++;
			}
		}
		this.jobs.writeInTransaction(kept, keptEvents, true);
		if (!newJobs.isEmpty()) {
			this.jobs.flushInTransaction();
			newJobs.forEach((job) -> insertOwned(lease, job));
		}
		markFinalized(lease, kept);
		return dropped;
	}

	/** The snapshots of jobs neither table knows: spawns that failed before they were queued. */
	private List<Job> newJobs(List<Job> snapshots, Set<UUID> inTable) {
		List<UUID> candidates = new ArrayList<>();
		for (Job job : snapshots) {
			if (!inTable.contains(job.id().value())) {
				candidates.add(job.id().value());
			}
		}
		if (candidates.isEmpty()) {
			return List.of();
		}
		Set<UUID> stored = new HashSet<>();
		this.jobs.findInTransaction(candidates).forEach((job) -> stored.add(job.id().value()));
		Set<UUID> seen = new HashSet<>();
		List<Job> result = new ArrayList<>();
		for (Job job : snapshots) {
			UUID id = job.id().value();
			if (!inTable.contains(id) && !stored.contains(id) && seen.add(id)) {
				result.add(job);
			}
		}
		return result;
	}

	private void insertOwned(NodeLease lease, Job job) {
		String status = job.isFinalized() ? JdbcClusterStore.DONE : JdbcClusterStore.CLAIMED;
		this.jdbc.update("INSERT INTO " + this.tables.job() + " (JOB_ID, STATUS, PRIORITY, QUEUED_AT, PARAMETERS,"
				+ " PINNED_NODE, RESTARTABLE, ATTEMPT, OWNER_NODE, OWNER_EPOCH, CLAIMED_AT, CANCEL_REQUESTED) VALUES (?, ?,"
				+ " 0, " + this.tables.dialect().nowMicros() + ", '{}', ?, FALSE, 1, ?, ?, "
				+ this.tables.dialect().nowMillis() + ", FALSE)", job.id().toString(), status, lease.nodeId(),
				lease.nodeId(), lease.epoch());
	}

	private void markFinalized(NodeLease lease, List<Job> kept) {
		List<Object> arguments = new ArrayList<>(List.of(lease.nodeId(), lease.epoch()));
		Set<UUID> finalized = new LinkedHashSet<>();
		kept.stream().filter(Job::isFinalized).forEach((job) -> finalized.add(job.id().value()));
		if (finalized.isEmpty()) {
			return;
		}
		finalized.forEach((id) -> arguments.add(id.toString()));
		this.jdbc.update("UPDATE " + this.tables.job() + " SET STATUS = '" + JdbcClusterStore.DONE
				+ "' WHERE OWNER_NODE = ? AND OWNER_EPOCH = ? AND JOB_ID IN " + ClusterTables.placeholders(finalized),
				arguments.toArray());
	}

}
