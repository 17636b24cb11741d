package io.execra.autoconfigure.jpa;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.execra.Event;
import io.execra.FailureReason;
import io.execra.Job;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.Progress;
import io.execra.cluster.ClusterStore.Rescued;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The rescue and cancel side of the {@link JdbcClusterStore}, within the caller's transaction: jobs of dead nodes
 * finalized {@code Failed(HostExited)} or queued again once, and queued jobs cancelled at once.
 */
final class ClusterRescues {

	private final JdbcTemplate jdbc;

	private final ClusterTables tables;

	private final JpaJobStore jobs;

	ClusterRescues(JdbcTemplate jdbc, ClusterTables tables, JpaJobStore jobs) {
		this.jdbc = jdbc;
		this.tables = tables;
		this.jobs = jobs;
	}

	/**
	 * Rescues the jobs of every node whose lease lapsed and that still owns claimed jobs. Each node's epoch is bumped
	 * first, by an update of its row: that waits for its writes in flight (they read the row with a share lock) and
	 * fails every later one. Nodes are taken in id order, so that rescuers lock them in the same order.
	 */
	List<Rescued> rescueDeadNodes(Set<String> notices) {
		String now = this.tables.dialect().nowMillis();
		List<String> dead = this.jdbc.queryForList("SELECT n.ID FROM " + this.tables.node() + " n WHERE n.LEASE_UNTIL <= "
				+ now + " AND EXISTS (SELECT 1 FROM " + this.tables.job() + " c WHERE c.OWNER_NODE = n.ID AND c.STATUS = '"
				+ JdbcClusterStore.CLAIMED + "') ORDER BY n.ID", String.class);
		List<Rescued> rescued = new ArrayList<>();
		for (String nodeId : dead) {
			int bumped = this.jdbc.update("UPDATE " + this.tables.node() + " SET EPOCH = EPOCH + 1 WHERE ID = ? AND"
					+ " LEASE_UNTIL <= " + now, nodeId);
			if (bumped == 1) {
				rescued.addAll(rescueJobsOf(nodeId, "node " + nodeId + " lost its lease", notices));
			}
		}
		return rescued;
	}

	/**
	 * Rescues the claimed jobs of a node whose earlier run is gone (its epoch was bumped or it joined again). The rows
	 * are locked first, so that a second rescuer, once this one committed, finds none left.
	 */
	List<Rescued> rescueJobsOf(String nodeId, String detail, Set<String> notices) {
		Map<UUID, RescueRow> rows = new HashMap<>();
		this.jdbc.query("SELECT JOB_ID, RESTARTABLE, ATTEMPT, CANCEL_REQUESTED FROM " + this.tables.job()
				+ " WHERE OWNER_NODE = ? AND STATUS = '" + JdbcClusterStore.CLAIMED + "' ORDER BY JOB_ID FOR UPDATE",
				(rs) -> {
					UUID id = UUID.fromString(rs.getString("JOB_ID").trim());
					rows.put(id, new RescueRow(rs.getBoolean("RESTARTABLE"), rs.getInt("ATTEMPT"),
							rs.getBoolean("CANCEL_REQUESTED")));
				}, nodeId);
		if (rows.isEmpty()) {
			return List.of();
		}
		Instant now = now();
		List<Rescued> rescued = new ArrayList<>();
		List<Job> snapshots = new ArrayList<>();
		List<Event> events = new ArrayList<>();
		for (Job job : this.jobs.findInTransaction(rows.keySet())) {
			UUID id = job.id().value();
			RescueRow row = rows.get(id);
			long seq = this.jobs.lastSeqInTransaction(id) + 1;
			if (job.isFinalized()) {
				setStatus(id, JdbcClusterStore.DONE);
				continue;
			}
			if (row.restartable() && row.attempt() == 1 && !row.cancelRequested()) {
				this.jdbc.update("UPDATE " + this.tables.job() + " SET STATUS = '" + JdbcClusterStore.QUEUED
						+ "', OWNER_NODE = NULL, OWNER_EPOCH = NULL, CLAIMED_AT = NULL, ATTEMPT = ATTEMPT + 1,"
						+ " QUEUED_AT = " + this.tables.dialect().nowMicros() + " WHERE JOB_ID = ?", id.toString());
				snapshots.add(requeued(job));
				events.add(new Event.WarningDetected(job.id(), seq, now, "host_exited",
						"The job's " + detail + "; it is queued again for attempt " + (row.attempt() + 1)));
				notices.add(PostgresClusterSignals.QUEUED);
				rescued.add(new Rescued(job, true));
			}
			else {
				Outcome outcome = new Outcome.Failed(new FailureReason.HostExited(detail));
				setStatus(id, JdbcClusterStore.DONE);
				snapshots.add(finalized(job, outcome, now));
				events.add(new Event.Finalized(job.id(), seq, now, outcome));
				rescued.add(new Rescued(job, false));
			}
			notices.add(PostgresClusterSignals.EVENTS + job.id());
		}
		this.jobs.writeInTransaction(snapshots, events, false);
		return rescued;
	}

	/** @see io.execra.cluster.ClusterStore#requestCancel */
	boolean requestCancel(JobId id, Set<String> notices) {
		List<String> status = this.jdbc.queryForList("SELECT STATUS FROM " + this.tables.job()
				+ " WHERE JOB_ID = ? FOR UPDATE", String.class, id.toString());
		if (status.isEmpty() || JdbcClusterStore.DONE.equals(status.get(0))) {
			return false;
		}
		if (JdbcClusterStore.CLAIMED.equals(status.get(0))) {
			this.jdbc.update("UPDATE " + this.tables.job() + " SET CANCEL_REQUESTED = TRUE WHERE JOB_ID = ?",
					id.toString());
			notices.add(PostgresClusterSignals.CANCEL + id);
			return true;
		}
		List<Job> found = this.jobs.findInTransaction(List.of(id.value()));
		if (found.isEmpty() || found.get(0).isFinalized()) {
			return false;
		}
		Instant now = now();
		Outcome outcome = new Outcome.Cancelled(List.of());
		setStatus(id.value(), JdbcClusterStore.DONE);
		this.jobs.writeInTransaction(List.of(finalized(found.get(0), outcome, now)),
				List.of(new Event.Finalized(id, this.jobs.lastSeqInTransaction(id.value()) + 1, now, outcome)), false);
		notices.add(PostgresClusterSignals.EVENTS + id);
		return true;
	}

	private void setStatus(UUID id, String status) {
		this.jdbc.update("UPDATE " + this.tables.job() + " SET STATUS = ?, OWNER_NODE = NULL, OWNER_EPOCH = NULL"
				+ " WHERE JOB_ID = ?", status, id.toString());
	}

	private Instant now() {
		Long millis = this.jdbc.queryForObject("SELECT " + this.tables.dialect().nowMillis(), Long.class);
		return Instant.ofEpochMilli(millis);
	}

	private static Job requeued(Job job) {
		return new Job(job.id(), job.command(), JobState.QUEUED, job.label(), job.tags(), Progress.UNKNOWN, null,
				job.createdAt(), null, null, null, null, null, null, job.node());
	}

	private static Job finalized(Job job, Outcome outcome, Instant now) {
		return new Job(job.id(), job.command(), JobState.FINALIZED, job.label(), job.tags(), job.progress(), null,
				job.createdAt(), job.startedAt(), now, job.pid(), job.exit(), outcome, job.outputTail(), job.node());
	}

	private record RescueRow(boolean restartable, int attempt, boolean cancelRequested) {
	}

}
