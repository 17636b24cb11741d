package io.execra.autoconfigure.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.execra.Job;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;
import org.jspecify.annotations.Nullable;

/**
 * Inserts, updates and reads jobs' rows with plain JDBC, on the connection of the caller's transaction: the store's
 * writer, the cluster's enqueue and its claims write or read a batch of jobs each, and as entities the rows paid for
 * a query or a persist, a place in the persistence context and Hibernate's dirty check and flush for rows nothing in
 * the transaction changes afterwards. The
 * columns are those of {@link JobEntity}, whose {@link JobMapper} mapping both directions go through; the entity
 * stays for everything else (queries, recovery, pruning).
 */
final class JobRows {

	private static final String COLUMNS = "ID, NODE, OWNER, STATE, LABEL, COMMAND, PROGRESS, PHASE, CREATED_AT,"
			+ " STARTED_AT, FINISHED_AT, PID, EXIT_CODE, EXIT_SIGNAL, OUTCOME_KIND, OUTCOME, OUTPUT_TAIL, SCHEMA_VERSION";

	/** Ids bound in one {@code in} list: far below the databases' limits on parameters. */
	private static final int IDS_PER_QUERY = 500;

	private final EntityManager entityManager;

	private final JobMapper mapper;

	private final int batchSize;

	private final String insertJob;

	private final String insertTag;

	private final String selectJobs;

	private final String selectIds;

	private final String updateJob;

	/**
	 * @param entityManager the shared entity manager, whose session's connection the rows are written on
	 * @param mapper the mapping of jobs to rows and back
	 * @param tablePrefix the table prefix
	 * @param batchSize statements per JDBC batch
	 */
	JobRows(EntityManager entityManager, JobMapper mapper, String tablePrefix, int batchSize) {
		this.entityManager = entityManager;
		this.mapper = mapper;
		this.batchSize = batchSize;
		this.insertJob = "INSERT INTO " + tablePrefix + "JOB (" + COLUMNS
				+ ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
		this.insertTag = "INSERT INTO " + tablePrefix + "JOB_TAG (JOB_ID, TAG) VALUES (?, ?)";
		this.selectJobs = "SELECT j.ID, j.NODE, j.OWNER, j.STATE, j.LABEL, j.COMMAND, j.PROGRESS, j.PHASE, j.CREATED_AT,"
				+ " j.STARTED_AT, j.FINISHED_AT, j.PID, j.EXIT_CODE, j.EXIT_SIGNAL, j.OUTCOME_KIND, j.OUTCOME,"
				+ " j.OUTPUT_TAIL, j.SCHEMA_VERSION, t.TAG FROM " + tablePrefix + "JOB j LEFT JOIN " + tablePrefix
				+ "JOB_TAG t ON t.JOB_ID = j.ID WHERE j.ID IN ";
		this.selectIds = "SELECT ID FROM " + tablePrefix + "JOB WHERE ID IN ";
		this.updateJob = "UPDATE " + tablePrefix + "JOB SET NODE = ?, STATE = ?, LABEL = ?, PROGRESS = ?, PHASE = ?,"
				+ " STARTED_AT = ?, FINISHED_AT = ?, PID = ?, EXIT_CODE = ?, EXIT_SIGNAL = ?, OUTCOME_KIND = ?, OUTCOME = ?,"
				+ " OUTPUT_TAIL = ? WHERE ID = ?";
	}

	/**
	 * Inserts the rows of jobs no store has seen yet, with their tags, after the transaction's pending entity writes.
	 * @param jobs the jobs, of distinct ids
	 * @throws SQLException if the database refuses a row, for example of an id stored already (the caller's
	 * transaction must roll back)
	 */
	void insert(List<Job> jobs) throws SQLException {
		if (jobs.isEmpty()) {
			return;
		}
		List<JobEntity> rows = new ArrayList<>(jobs.size());
		jobs.forEach((job) -> rows.add(this.mapper.newEntity(job)));
		SQLException[] failure = { null };
		this.entityManager.flush();
		this.entityManager.unwrap(Session.class).doWork((connection) -> {
			try {
				insertAll(connection, rows);
			}
			catch (SQLException ex) {
				// thrown as is: Hibernate would wrap it in an exception that names nothing more
				failure[0] = ex;
			}
		});
		if (failure[0] != null) {
			throw failure[0];
		}
	}

	/**
	 * Writes the latest snapshot of each job: updates the mutable columns of the stored ones (command, tags, owner
	 * and creation time are written once) and inserts the others, after the transaction's pending entity writes.
	 * @param jobs the jobs' latest snapshots, of distinct ids
	 * @return the ids of the jobs inserted
	 * @throws SQLException if the database refuses a row
	 */
	Set<UUID> upsert(Collection<Job> jobs) throws SQLException {
		if (jobs.isEmpty()) {
			return Set.of();
		}
		this.entityManager.flush();
		Set<UUID> stored = new HashSet<>();
		List<Job> updated = new ArrayList<>();
		List<Job> inserted = new ArrayList<>();
		SQLException[] failure = { null };
		this.entityManager.unwrap(Session.class).doWork((connection) -> {
			try {
				List<UUID> ids = jobs.stream().map((job) -> job.id().value()).toList();
				for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
					readIds(connection, ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY)), stored);
				}
				for (Job job : jobs) {
					(stored.contains(job.id().value()) ? updated : inserted).add(job);
				}
				updateAll(connection, updated);
				List<JobEntity> rows = new ArrayList<>(inserted.size());
				inserted.forEach((job) -> rows.add(this.mapper.newEntity(job)));
				insertAll(connection, rows);
			}
			catch (SQLException ex) {
				failure[0] = ex;
			}
		});
		if (failure[0] != null) {
			throw failure[0];
		}
		Set<UUID> result = new HashSet<>();
		inserted.forEach((job) -> result.add(job.id().value()));
		return result;
	}

	/**
	 * The stored jobs of those ids, in no particular order, each with its tags, after the transaction's pending
	 * entity writes.
	 * @param ids the jobs' ids
	 * @return the jobs found
	 */
	List<Job> find(Collection<UUID> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		this.entityManager.flush();
		List<UUID> all = List.copyOf(ids);
		Map<UUID, JobEntity> rows = new LinkedHashMap<>();
		this.entityManager.unwrap(Session.class).doWork((connection) -> {
			for (int from = 0; from < all.size(); from += IDS_PER_QUERY) {
				readAll(connection, all.subList(from, Math.min(all.size(), from + IDS_PER_QUERY)), rows);
			}
		});
		List<Job> found = new ArrayList<>(rows.size());
		rows.values().forEach((row) -> found.add(this.mapper.toJob(row, row.getTags())));
		return found;
	}

	private void readIds(Connection connection, List<UUID> ids, Set<UUID> stored) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.selectIds + ClusterTables.placeholders(ids))) {
			for (int i = 0; i < ids.size(); i++) {
				statement.setString(i + 1, ids.get(i).toString());
			}
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					stored.add(UUID.fromString(rs.getString(1).trim()));
				}
			}
		}
	}

	private void updateAll(Connection connection, List<Job> jobs) throws SQLException {
		JdbcBatches.execute(connection, this.updateJob, jobs, this.batchSize, (statement, job) -> {
			JobEntity row = new JobEntity();
			this.mapper.update(row, job);
			statement.setString(1, row.getNode());
			statement.setString(2, row.getState());
			setString(statement, 3, row.getLabel());
			statement.setString(4, row.getProgress());
			setString(statement, 5, row.getPhase());
			setLong(statement, 6, row.getStartedAt());
			setLong(statement, 7, row.getFinishedAt());
			setLong(statement, 8, row.getPid());
			setInt(statement, 9, row.getExitCode());
			setInt(statement, 10, row.getExitSignal());
			setString(statement, 11, row.getOutcomeKind());
			setString(statement, 12, row.getOutcome());
			setString(statement, 13, row.getOutputTail());
			statement.setString(14, job.id().toString());
		});
	}

	private void insertAll(Connection connection, List<JobEntity> rows) throws SQLException {
		JdbcBatches.execute(connection, this.insertJob, rows, this.batchSize, JobRows::bind);
		List<String[]> tags = new ArrayList<>();
		rows.forEach((row) -> row.getTags().forEach((tag) -> tags.add(new String[] { row.getId().toString(), tag })));
		JdbcBatches.execute(connection, this.insertTag, tags, this.batchSize, (statement, tag) -> {
			statement.setString(1, tag[0]);
			statement.setString(2, tag[1]);
		});
	}

	private static void bind(PreparedStatement statement, JobEntity row) throws SQLException {
		statement.setString(1, row.getId().toString());
		statement.setString(2, row.getNode());
		setString(statement, 3, row.getOwner());
		statement.setString(4, row.getState());
		setString(statement, 5, row.getLabel());
		statement.setString(6, row.getCommand());
		statement.setString(7, row.getProgress());
		setString(statement, 8, row.getPhase());
		statement.setLong(9, row.getCreatedAt());
		setLong(statement, 10, row.getStartedAt());
		setLong(statement, 11, row.getFinishedAt());
		setLong(statement, 12, row.getPid());
		setInt(statement, 13, row.getExitCode());
		setInt(statement, 14, row.getExitSignal());
		setString(statement, 15, row.getOutcomeKind());
		setString(statement, 16, row.getOutcome());
		setString(statement, 17, row.getOutputTail());
		statement.setInt(18, row.getSchemaVersion());
	}

	private void readAll(Connection connection, List<UUID> ids, Map<UUID, JobEntity> rows) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement(this.selectJobs + ClusterTables.placeholders(ids))) {
			for (int i = 0; i < ids.size(); i++) {
				statement.setString(i + 1, ids.get(i).toString());
			}
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					UUID id = UUID.fromString(rs.getString(1).trim());
					JobEntity row = rows.get(id);
					if (row == null) {
						row = entity(id, rs);
						rows.put(id, row);
					}
					String tag = rs.getString(19);
					if (tag != null) {
						row.getTags().add(tag);
					}
				}
			}
		}
	}

	private static JobEntity entity(UUID id, ResultSet rs) throws SQLException {
		JobEntity row = new JobEntity(id, rs.getString(6), new HashSet<>(), rs.getString(3), rs.getLong(9));
		row.setNode(rs.getString(2));
		row.setState(rs.getString(4));
		row.setLabel(rs.getString(5));
		row.setProgress(rs.getString(7));
		row.setPhase(rs.getString(8));
		row.setStartedAt(getLong(rs, 10));
		row.setFinishedAt(getLong(rs, 11));
		row.setPid(getLong(rs, 12));
		row.setExitCode(getInt(rs, 13));
		row.setExitSignal(getInt(rs, 14));
		row.setOutcomeKind(rs.getString(15));
		row.setOutcome(rs.getString(16));
		row.setOutputTail(rs.getString(17));
		row.setSchemaVersion(rs.getInt(18));
		return row;
	}

	private static void setString(PreparedStatement statement, int index, @Nullable String value)
			throws SQLException {
		if (value != null) {
			statement.setString(index, value);
		}
		else {
			statement.setNull(index, Types.VARCHAR);
		}
	}

	private static void setLong(PreparedStatement statement, int index, @Nullable Long value) throws SQLException {
		if (value != null) {
			statement.setLong(index, value);
		}
		else {
			statement.setNull(index, Types.BIGINT);
		}
	}

	private static void setInt(PreparedStatement statement, int index, @Nullable Integer value) throws SQLException {
		if (value != null) {
			statement.setInt(index, value);
		}
		else {
			statement.setNull(index, Types.INTEGER);
		}
	}

	private static @Nullable Long getLong(ResultSet rs, int index) throws SQLException {
		long value = rs.getLong(index);
		return rs.wasNull() ? null : value;
	}

	private static @Nullable Integer getInt(ResultSet rs, int index) throws SQLException {
		int value = rs.getInt(index);
		return rs.wasNull() ? null : value;
	}

}
