package io.execra.autoconfigure.jpa;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.execra.Job;
import io.execra.JobId;
import io.execra.cluster.ClaimRequest;
import io.execra.cluster.ClaimedJob;
import io.execra.cluster.ClusterStore;
import io.execra.cluster.JobRecipe;
import io.execra.cluster.NodeLease;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The queue side of the {@link JdbcClusterStore}: enqueue and claim, within the caller's transaction.
 * <p>
 * A claim selects the first queued jobs the node may run ({@code ORDER BY PRIORITY DESC, QUEUED_AT, QUEUE_SEQ})
 * with {@code FOR UPDATE SKIP LOCKED}, so that nodes claiming at once take different jobs without waiting, then
 * marks them claimed by the lease. When the request has cluster-wide limits and a job at the head of the queue is in
 * a limited group (always on H2, which cannot skip locked rows), it first locks the rows of the limited groups in
 * name order and counts their claimed jobs: the claims of limited groups are serialized, and it looks past jobs whose
 * group is full (at most {@value #LOOK_PAST_FULL} of them) to jobs it may still take. When the head holds no job of a
 * limited group, the claim takes jobs of no limited group without those locks.
 */
final class ClusterClaims {

	/** How many queued jobs of full groups a limited claim looks past. */
	static final int LOOK_PAST_FULL = 200;

	private final JdbcTemplate jdbc;

	private final ClusterTables tables;

	private final JpaJobStore jobs;

	private final ExecraJsonCodec json;

	ClusterClaims(JdbcTemplate jdbc, ClusterTables tables, JpaJobStore jobs, ExecraJsonCodec json) {
		this.jdbc = jdbc;
		this.tables = tables;
		this.jobs = jobs;
		this.json = json;
	}

	void insertQueued(List<ClusterStore.Queued> queued) {
		List<Object[]> rows = new ArrayList<>(queued.size());
		for (ClusterStore.Queued each : queued) {
			JobRecipe recipe = each.recipe();
			rows.add(new Object[] { each.job().id().toString(), recipe.priority(), recipe.preset(),
					this.json.write(Map.class, recipe.parameters()), recipe.pinnedNode(), recipe.restartable() });
		}
		this.jdbc.batchUpdate("INSERT INTO " + this.tables.job() + " (JOB_ID, STATUS, PRIORITY, QUEUED_AT, PRESET,"
				+ " PARAMETERS, PINNED_NODE, RESTARTABLE, ATTEMPT, CANCEL_REQUESTED) VALUES (?, '"
				+ JdbcClusterStore.QUEUED + "', ?, " + this.tables.dialect().nowMicros() + ", ?, ?, ?, ?, 1, FALSE)",
				rows);
	}

	List<ClaimedJob> claim(NodeLease lease, ClaimRequest request) {
		if (!request.limits().isEmpty() && this.tables.dialect().claimSkipsLocked()) {
			// a limit on some jobs must not serialize the claims of the others: when the head of the queue, read
			// without locks, holds no job of a limited group, the jobs of no limited group are claimed without the
			// groups' locks. Nothing is locked before that read, so such a claim never holds a row while it waits
			// for a group's lock (on InnoDB that deadlocked with claims holding the groups' locks)
			List<Candidate> head = candidates(lease, request, request.max(), false, Set.of());
			if (head.isEmpty()) {
				return List.of();
			}
			if (groupsOf(head, request.limits().keySet()).values().stream().allMatch(Set::isEmpty)) {
				List<Candidate> free = candidates(lease, request, request.max(), true, request.limits().keySet());
				return free.isEmpty() ? List.of() : take(lease, request, free);
			}
		}
		Map<String, Integer> running = request.limits().isEmpty() ? Map.of() : lockAndCount(request.limits().keySet());
		List<Candidate> candidates = candidates(lease, request, request.limits().isEmpty() ? request.max()
				: request.max() + LOOK_PAST_FULL, true, Set.of());
		if (candidates.isEmpty()) {
			return List.of();
		}
		List<Candidate> picked = request.limits().isEmpty() ? candidates
				: withinLimits(candidates, request, new HashMap<>(running));
		if (picked.isEmpty()) {
			return List.of();
		}
		return take(lease, request, picked);
	}

	/** Marks the candidates, locked by this transaction, claimed by the lease; moves their jobs to its node. */
	private List<ClaimedJob> take(NodeLease lease, ClaimRequest request, List<Candidate> picked) {
		List<Object> ids = new ArrayList<>();
		picked.forEach((candidate) -> ids.add(candidate.id().toString()));
		List<Object> claimArguments = new ArrayList<>(
				List.of(lease.nodeId(), lease.epoch(), request.id().toString()));
		claimArguments.addAll(ids);
		int updated = this.jdbc.update("UPDATE " + this.tables.job() + " SET STATUS = '" + JdbcClusterStore.CLAIMED
				+ "', OWNER_NODE = ?, OWNER_EPOCH = ?, CLAIM_ID = ?, CLAIMED_AT = " + this.tables.dialect().nowMillis()
				+ ", CANCEL_REQUESTED = FALSE WHERE JOB_ID IN " + ClusterTables.placeholders(ids) + " AND STATUS = '"
				+ JdbcClusterStore.QUEUED + "'", claimArguments.toArray());
		List<Candidate> taken = picked;
		if (updated < ids.size()) {
			// only where rows are locked without SKIP LOCKED (H2): a claimer that waited finds some taken
			taken = claimedBy(lease, picked);
			ids.clear();
			taken.forEach((candidate) -> ids.add(candidate.id().toString()));
			if (ids.isEmpty()) {
				return List.of();
			}
		}
		List<Object> nodeArguments = new ArrayList<>(List.of(lease.nodeId()));
		nodeArguments.addAll(ids);
		this.jdbc.update("UPDATE " + this.tables.jobs() + " SET NODE = ? WHERE ID IN "
				+ ClusterTables.placeholders(ids), nodeArguments.toArray());
		return withSnapshots(taken);
	}

	private List<Candidate> claimedBy(NodeLease lease, List<Candidate> picked) {
		List<Object> arguments = new ArrayList<>(List.of(lease.nodeId(), lease.epoch()));
		picked.forEach((candidate) -> arguments.add(candidate.id().toString()));
		Set<String> mine = new HashSet<>();
		this.jdbc.queryForList("SELECT JOB_ID FROM " + this.tables.job() + " WHERE OWNER_NODE = ? AND OWNER_EPOCH = ?"
				+ " AND STATUS = '" + JdbcClusterStore.CLAIMED + "' AND JOB_ID IN " + ClusterTables.placeholders(picked),
				String.class, arguments.toArray()).forEach((id) -> mine.add(id.trim()));
		return picked.stream().filter((candidate) -> mine.contains(candidate.id().toString())).toList();
	}

	/**
	 * Claims on PostgreSQL without limits in one statement, which also checks the lease (its row read with a share
	 * lock, as a write does) and moves the jobs to the claiming node: {@code UPDATE ... WHERE JOB_ID IN (SELECT ...
	 * FOR UPDATE SKIP LOCKED LIMIT n) RETURNING ...}. The jobs' snapshots are then read in one query.
	 * @return the claimed jobs, or {@code null} if the lease does not hold
	 */
	@Nullable List<ClaimedJob> claimInOneStatement(NodeLease lease, ClaimRequest request) {
		String now = this.tables.dialect().nowMillis();
		List<Object> arguments = new ArrayList<>(List.of(lease.nodeId(), lease.epoch(), lease.nodeId(),
				lease.epoch(), request.id().toString(), lease.nodeId()));
		StringBuilder mayRun = new StringBuilder("PINNED_NODE = ?");
		if (!request.presets().isEmpty()) {
			mayRun.append(" OR PRESET IN ").append(ClusterTables.placeholders(request.presets()));
			arguments.addAll(new TreeSet<>(request.presets()));
		}
		arguments.add(request.max());
		arguments.add(lease.nodeId());
		String sql = "WITH lease AS (SELECT ID FROM " + this.tables.node() + " WHERE ID = ? AND EPOCH = ? AND"
				+ " LEASE_UNTIL > " + now + " FOR SHARE), claimed AS (UPDATE " + this.tables.job() + " SET STATUS = '"
				+ JdbcClusterStore.CLAIMED + "', OWNER_NODE = ?, OWNER_EPOCH = ?, CLAIM_ID = ?, CLAIMED_AT = " + now
				+ ", CANCEL_REQUESTED = FALSE WHERE JOB_ID IN (SELECT JOB_ID FROM " + this.tables.job()
				+ " WHERE STATUS = '" + JdbcClusterStore.QUEUED + "' AND (" + mayRun
				+ ") AND EXISTS (SELECT 1 FROM lease) ORDER BY PRIORITY DESC, QUEUED_AT, QUEUE_SEQ LIMIT ?"
				+ " FOR UPDATE SKIP LOCKED) RETURNING JOB_ID, PRESET, PARAMETERS, PINNED_NODE, RESTARTABLE, PRIORITY,"
				+ " ATTEMPT, QUEUED_AT, QUEUE_SEQ), moved AS (UPDATE " + this.tables.jobs() + " j SET NODE = ? FROM"
				+ " claimed WHERE j.ID = claimed.JOB_ID) SELECT (SELECT COUNT(*) FROM lease) AS HELD, c.* FROM"
				+ " (SELECT 1) AS one LEFT JOIN claimed c ON TRUE ORDER BY c.PRIORITY DESC, c.QUEUED_AT, c.QUEUE_SEQ";
		List<Candidate> picked = new ArrayList<>();
		boolean[] held = { false };
		this.jdbc.query(sql, (rs) -> {
			held[0] = rs.getLong("HELD") > 0;
			String id = rs.getString("JOB_ID");
			if (id != null) {
				picked.add(candidate(rs));
			}
		}, arguments.toArray());
		if (!held[0]) {
			return null;
		}
		return withSnapshots(picked);
	}

	/** The jobs the claim of that id took under this lease, still claimed by it, in claim order. */
	List<ClaimedJob> claimed(NodeLease lease, UUID claimId) {
		return withSnapshots(this.jdbc.query("SELECT JOB_ID, PRESET, PARAMETERS, PINNED_NODE, RESTARTABLE, PRIORITY,"
				+ " ATTEMPT FROM " + this.tables.job() + " WHERE OWNER_NODE = ? AND OWNER_EPOCH = ? AND CLAIM_ID = ? AND"
				+ " STATUS = '" + JdbcClusterStore.CLAIMED + "' ORDER BY PRIORITY DESC, QUEUED_AT, QUEUE_SEQ",
				(rs, row) -> candidate(rs), lease.nodeId(), lease.epoch(), claimId.toString()));
	}

	private Candidate candidate(ResultSet rs) throws SQLException {
		return new Candidate(new JobId(UUID.fromString(rs.getString("JOB_ID").trim())),
				recipe(rs.getString("PRESET"), rs.getString("PARAMETERS"), rs.getString("PINNED_NODE"),
						rs.getBoolean("RESTARTABLE"), rs.getInt("PRIORITY")),
				rs.getInt("ATTEMPT"));
	}

	private List<ClaimedJob> withSnapshots(List<Candidate> picked) {
		if (picked.isEmpty()) {
			return List.of();
		}
		Map<UUID, Job> claimed = new HashMap<>();
		this.jobs.findInTransaction(picked.stream().map((c) -> c.id().value()).toList())
			.forEach((job) -> claimed.put(job.id().value(), job));
		List<ClaimedJob> result = new ArrayList<>();
		for (Candidate candidate : picked) {
			Job job = claimed.get(candidate.id().value());
			if (job != null) {
				result.add(new ClaimedJob(job, candidate.recipe(), candidate.attempt()));
			}
		}
		return result;
	}

	/** Locks the limited groups' rows (creating those missing), then counts their claimed jobs. */
	private Map<String, Integer> lockAndCount(Set<String> limited) {
		List<String> groups = new ArrayList<>(new TreeSet<>(limited));
		String lock = "SELECT NAME FROM " + this.tables.group() + " WHERE NAME IN " + ClusterTables.placeholders(groups)
				+ " ORDER BY NAME FOR UPDATE";
		List<String> locked = this.jdbc.queryForList(lock, String.class, groups.toArray());
		if (locked.size() < groups.size()) {
			for (String group : groups) {
				if (!locked.contains(group)) {
					this.jdbc.update(this.tables.dialect().insertGroup(this.tables.group()), group);
				}
			}
			this.jdbc.queryForList(lock, String.class, groups.toArray());
		}
		Map<String, Integer> running = new HashMap<>();
		for (String group : groups) {
			Integer count = this.jdbc.queryForObject("SELECT COUNT(*) FROM " + this.tables.job() + " c WHERE c.STATUS = '"
					+ JdbcClusterStore.CLAIMED + "' AND (c.PRESET = ? OR EXISTS (SELECT 1 FROM " + this.tables.tags()
					+ " t WHERE t.JOB_ID = c.JOB_ID AND t.TAG = ?))", Integer.class, group, group);
			running.put(group, (count != null) ? count : 0);
		}
		return running;
	}

	/**
	 * The first queued jobs the node may run, in queue order.
	 * @param lock whether to lock them for this transaction (skipping those others locked, where the database can)
	 * @param excluded limited groups whose jobs are left out (their preset's or one of their tags)
	 */
	private List<Candidate> candidates(NodeLease lease, ClaimRequest request, int limit, boolean lock,
			Set<String> excluded) {
		List<Object> arguments = new ArrayList<>(List.of(lease.nodeId()));
		StringBuilder mayRun = new StringBuilder("PINNED_NODE = ?");
		if (!request.presets().isEmpty()) {
			mayRun.append(" OR PRESET IN ").append(ClusterTables.placeholders(request.presets()));
			arguments.addAll(new TreeSet<>(request.presets()));
		}
		StringBuilder free = new StringBuilder();
		if (!excluded.isEmpty()) {
			List<String> groups = new ArrayList<>(new TreeSet<>(excluded));
			free.append(" AND (c.PRESET IS NULL OR c.PRESET NOT IN ").append(ClusterTables.placeholders(groups))
				.append(") AND NOT EXISTS (SELECT 1 FROM ").append(this.tables.tags())
				.append(" t WHERE t.JOB_ID = c.JOB_ID AND t.TAG IN ").append(ClusterTables.placeholders(groups))
				.append(')');
			arguments.addAll(groups);
			arguments.addAll(groups);
		}
		arguments.add(limit);
		return this.jdbc.query("SELECT c.JOB_ID, c.PRESET, c.PARAMETERS, c.PINNED_NODE, c.RESTARTABLE, c.PRIORITY,"
				+ " c.ATTEMPT FROM " + this.tables.job() + " c WHERE c.STATUS = '" + JdbcClusterStore.QUEUED + "' AND ("
				+ mayRun + ")" + free + " ORDER BY c.PRIORITY DESC, c.QUEUED_AT, c.QUEUE_SEQ LIMIT ?"
				+ (lock ? this.tables.dialect().claimLock() : ""), (rs, row) -> candidate(rs), arguments.toArray());
	}

	@SuppressWarnings("unchecked")
	JobRecipe recipe(@Nullable String preset, String parameters, @Nullable String pinnedNode, boolean restartable,
			int priority) {
		Map<String, String> values = new LinkedHashMap<>();
		((Map<String, Object>) this.json.read(Map.class, parameters))
			.forEach((key, value) -> values.put(key, String.valueOf(value)));
		return new JobRecipe(preset, values, pinnedNode, restartable, priority);
	}

	/** The candidates in order whose groups are not full, counting each taken one. */
	private List<Candidate> withinLimits(List<Candidate> candidates, ClaimRequest request,
			Map<String, Integer> running) {
		Map<UUID, Set<String>> groups = groupsOf(candidates, request.limits().keySet());
		List<Candidate> picked = new ArrayList<>();
		for (Candidate candidate : candidates) {
			if (picked.size() >= request.max()) {
				break;
			}
			Set<String> its = groups.get(candidate.id().value());
			boolean fits = its.stream().allMatch((group) -> running.get(group) < request.limits().get(group));
			if (fits) {
				its.forEach((group) -> running.merge(group, 1, Integer::sum));
				picked.add(candidate);
			}
		}
		return picked;
	}

	/** The limited groups of each candidate: its preset's and its tags'. */
	private Map<UUID, Set<String>> groupsOf(List<Candidate> candidates, Set<String> limited) {
		Map<UUID, Set<String>> groups = new HashMap<>();
		List<Object> arguments = new ArrayList<>();
		for (Candidate candidate : candidates) {
			Set<String> its = new HashSet<>();
			String preset = candidate.recipe().preset();
			if (preset != null && limited.contains(preset)) {
				its.add(preset);
			}
			groups.put(candidate.id().value(), its);
			arguments.add(candidate.id().toString());
		}
		List<String> tags = new ArrayList<>(limited);
		arguments.addAll(tags);
		this.jdbc.query("SELECT JOB_ID, TAG FROM " + this.tables.tags() + " WHERE JOB_ID IN "
				+ ClusterTables.placeholders(candidates) + " AND TAG IN " + ClusterTables.placeholders(tags), (rs) -> {
					groups.get(UUID.fromString(rs.getString("JOB_ID").trim())).add(rs.getString("TAG"));
				}, arguments.toArray());
		return groups;
	}

	/** A queued job a claim may take. */
	private record Candidate(JobId id, JobRecipe recipe, int attempt) {
	}

}
