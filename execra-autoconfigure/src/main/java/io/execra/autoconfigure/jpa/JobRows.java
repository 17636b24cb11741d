package io.execra.autoconfigure.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
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

	/** The columns an update writes, in the order {@link #bindMutable} binds them; an insert writes them last. */
	private static final List<String> MUTABLE = List.of("NODE", "STATE", "LABEL", "PROGRESS", "PHASE", "STARTED_AT",
			"FINISHED_AT", "PID", "EXIT_CODE", "EXIT_SIGNAL", "OUTCOME_KIND", "OUTCOME", "OUTPUT_TAIL");

	/** The columns written once, by the insert, in the order {@link #bindInsert} binds them before the others. */
	private static final List<String> WRITTEN_ONCE = List.of("ID", "OWNER", "COMMAND", "CREATED_AT", "SCHEMA_VERSION");

	/** Ids bound in one {@code in} list: far below the databases' limits on parameters. */
	static final int IDS_PER_QUERY = 500;

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
		this.insertJob = "INSERT INTO " + tablePrefix + "JOB (" + String.join(", ", WRITTEN_ONCE) + ", "
				+ String.join(", ", MUTABLE) + ") VALUES ("
				+ String.join(", ", Collections.nCopies(WRITTEN_ONCE.size() + MUTABLE.size(), "?")) + ")";
		this.insertTag = "INSERT INTO " + tablePrefix + "JOB_TAG (JOB_ID, TAG) VALUES (?, ?)";
		this.selectJobs = "SELECT j.ID, j.NODE, j.OWNER, j.STATE, j.LABEL, j.COMMAND, j.PROGRESS, j.PHASE, j.CREATED_AT,"
				+ " j.STARTED_AT, j.FINISHED_AT, j.PID, j.EXIT_CODE, j.EXIT_SIGNAL, j.OUTCOME_KIND, j.OUTCOME,"
				+ " j.OUTPUT_TAIL, j.SCHEMA_VERSION, t.TAG FROM " + tablePrefix + "JOB j LEFT JOIN " + tablePrefix
				+ "JOB_TAG t ON t.JOB_ID = j.ID WHERE j.ID IN ";
		this.selectIds = "SELECT ID FROM " + tablePrefix + "JOB WHERE ID IN ";
		this.updateJob = "UPDATE " + tablePrefix + "JOB SET " + String.join(" = ?, ", MUTABLE) + " = ? WHERE ID = ?";
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
		onConnection((connection) -> insertAll(connection, rows));
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
		Set<UUID> stored = stored(jobs.stream().map((job) -> job.id().value()).toList());
		Set<UUID> inserted = new HashSet<>();
		List<Job> updates = new ArrayList<>();
		List<JobEntity> inserts = new ArrayList<>();
		for (Job job : jobs) {
			if (stored.contains(job.id().value())) {
				updates.add(job);
			}
			else {
				inserts.add(this.mapper.newEntity(job));
				inserted.add(job.id().value());
			}
		}
		onConnection((connection) -> {
			updateAll(connection, updates);
			insertAll(connection, inserts);
		});
		return inserted;
	}

	/**
	 * Which of those jobs are stored, after the transaction's pending entity writes.
	 * @param ids the jobs' ids
	 * @return those of them stored
	 * @throws SQLException if the database cannot be read
	 */
	Set<UUID> stored(Collection<UUID> ids) throws SQLException {
		Set<UUID> stored = new HashSet<>();
		if (!ids.isEmpty()) {
			onConnection((connection) -> eachRow(connection, this.selectIds, List.copyOf(ids), (rs) -> stored.add(id(rs))));
		}
		return stored;
	}

	/**
	 * The stored jobs of those ids, in no particular order, each with its tags, after the transaction's pending
	 * entity writes.
	 * @param ids the jobs' ids
	 * @return the jobs found
	 * @throws SQLException if the database cannot be read
	 */
	List<Job> find(Collection<UUID> ids) throws SQLException {
		if (ids.isEmpty()) {
			return List.of();
		}
		Map<UUID, JobEntity> rows = new LinkedHashMap<>();
		onConnection((connection) -> eachRow(connection, this.selectJobs, List.copyOf(ids), (rs) -> {
			// a row per tag: the job's columns from the first
			JobEntity row = rows.get(id(rs));
			if (row == null) {
				row = entity(id(rs), rs);
				rows.put(row.getId(), row);
			}
			String tag = rs.getString(19);
			if (tag != null) {
				row.getTags().add(tag);
			}
		}));
		List<Job> found = new ArrayList<>(rows.size());
		rows.values().forEach((row) -> found.add(this.mapper.toJob(row, row.getTags())));
		return found;
	}

	/**
	 * Runs plain JDBC work on the transaction's connection, after its pending entity writes. A refusal is thrown as
	 * the driver's {@link SQLException}: through Hibernate it would come wrapped, and logged as an error, when the
	 * caller only wants its SQLSTATE (a duplicate key is a refused enqueue, not an error of the store).
	 */
	private void onConnection(ConnectionWork work) throws SQLException {
		this.entityManager.flush();
		SQLException[] failure = { null };
		this.entityManager.unwrap(Session.class).doWork((connection) -> {
			try {
				work.run(connection);
			}
			catch (SQLException ex) {
				failure[0] = ex;
			}
		});
		if (failure[0] != null) {
			throw failure[0];
		}
	}

	/** Runs a query ending in {@code IN} for the ids, {@value #IDS_PER_QUERY} at a time, and reads each row. */
	private static void eachRow(Connection connection, String select, List<UUID> ids, RowReader reader)
			throws SQLException {
		for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
			List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY));
			try (PreparedStatement statement = connection.prepareStatement(select + ClusterTables.placeholders(chunk))) {
				for (int i = 0; i < chunk.size(); i++) {
					statement.setString(i + 1, chunk.get(i).toString());
				}
				try (ResultSet rs = statement.executeQuery()) {
					while (rs.next()) {
						reader.read(rs);
					}
				}
			}
		}
	}

	/** The id in the first column ({@code CHAR(36)}, blank-padded on some databases). */
	private static UUID id(ResultSet rs) throws SQLException {
		return UUID.fromString(rs.getString(1).trim());
	}

	private void updateAll(Connection connection, List<Job> jobs) throws SQLException {
		JdbcBatches.execute(connection, this.updateJob, jobs, this.batchSize, (statement, job) -> {
			JobEntity row = new JobEntity();
			this.mapper.update(row, job);
			int next = bindMutable(statement, row, 1);
			statement.setString(next, job.id().toString());
		});
	}

	private void insertAll(Connection connection, List<JobEntity> rows) throws SQLException {
		JdbcBatches.execute(connection, this.insertJob, rows, this.batchSize, JobRows::bindInsert);
		List<String[]> tags = new ArrayList<>();
		rows.forEach((row) -> row.getTags().forEach((tag) -> tags.add(new String[] { row.getId().toString(), tag })));
		JdbcBatches.execute(connection, this.insertTag, tags, this.batchSize, (statement, tag) -> {
			statement.setString(1, tag[0]);
			statement.setString(2, tag[1]);
		});
	}

	private static void bindInsert(PreparedStatement statement, JobEntity row) throws SQLException {
		statement.setString(1, row.getId().toString());
		setString(statement, 2, row.getOwner());
		statement.setString(3, row.getCommand());
		statement.setLong(4, row.getCreatedAt());
		statement.setInt(5, row.getSchemaVersion());
		bindMutable(statement, row, WRITTEN_ONCE.size() + 1);
	}

	/**
	 * Binds the {@link #MUTABLE} columns from a parameter on.
	 * @return the index of the parameter after them
	 */
	private static int bindMutable(PreparedStatement statement, JobEntity row, int first) throws SQLException {
		int i = first;
		statement.setString(i++, row.getNode());
		statement.setString(i++, row.getState());
		setString(statement, i++, row.getLabel());
		statement.setString(i++, row.getProgress());
		setString(statement, i++, row.getPhase());
		setLong(statement, i++, row.getStartedAt());
		setLong(statement, i++, row.getFinishedAt());
		setLong(statement, i++, row.getPid());
		setInt(statement, i++, row.getExitCode());
		setInt(statement, i++, row.getExitSignal());
		setString(statement, i++, row.getOutcomeKind());
		setString(statement, i++, row.getOutcome());
		setString(statement, i++, row.getOutputTail());
		return i;
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

	/** Work on the transaction's connection. */
	@FunctionalInterface
	private interface ConnectionWork {

		void run(Connection connection) throws SQLException;

	}

	/** Reads the current row of a result. */
	@FunctionalInterface
	private interface RowReader {

		void read(ResultSet rs) throws SQLException;

	}

}
