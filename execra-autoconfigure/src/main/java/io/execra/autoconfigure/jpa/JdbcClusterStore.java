package io.execra.autoconfigure.jpa;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

import io.execra.Event;
import io.execra.Job;
import io.execra.JobId;
import io.execra.cluster.ClaimRequest;
import io.execra.cluster.ClaimedJob;
import io.execra.cluster.ClusterSignals;
import io.execra.cluster.ClusterStore;
import io.execra.cluster.JobRecipe;
import io.execra.cluster.LeaseLostException;
import io.execra.cluster.NodeInfo;
import io.execra.cluster.NodeLease;
import io.execra.store.StoreException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@link ClusterStore} on the JPA store's database: the {@code EXECRA_CLUSTER_} tables in native SQL, the jobs
 * and events through the {@link JpaJobStore} in the same transactions (one transaction per call, read committed).
 * Runs on PostgreSQL (claims in one statement, {@code LISTEN/NOTIFY}), MariaDB 10.6+ and MySQL 8 (polling) and H2
 * (one node, tests); {@link #checkSupported} refuses any other database. Every time is the database's clock.
 * <p>
 * How it keeps its promises:
 * <ul>
 * <li>a claim takes rows with {@code FOR UPDATE SKIP LOCKED}, so concurrent claims take different jobs; with
 * cluster-wide limits it first locks a row per limited group ({@code EXECRA_CLUSTER_GROUP}, in name order) and
 * counts the group's claimed jobs, so claims of a limited group are serialized and never exceed the limit;</li>
 * <li>a write first reads its node's row with a share lock and requires its epoch and an unexpired lease, then
 * writes only jobs that lease owns; a rescue bumps the dead node's epoch with an update of that row, which waits for
 * writes in flight and makes every later one fail;</li>
 * <li>rescue takes the dead node's claimed rows {@code FOR UPDATE} after the bump, so two rescuers rescue each
 * job once (the second finds none left);</li>
 * <li>on PostgreSQL, a node frozen inside a transaction (a paused JVM) must not hold its locks for ever: every
 * transaction that locks (claim, write, rescue) sets {@code idle_in_transaction_session_timeout} to half the lease,
 * so the database ends a frozen node's session and releases its locks (its late commit then fails, and it finds its
 * lease gone); a rescue waits at most {@link #RESCUE_LOCK_WAIT} for a lock and otherwise tries again next heartbeat,
 * and a claim at most a quarter of the lease.</li>
 * </ul>
 * Thread-safe.
 */
public class JdbcClusterStore implements ClusterStore {

	static final String QUEUED = "QUEUED";

	static final String CLAIMED = "CLAIMED";

	static final String DONE = "DONE";

	/** The longest a rescue waits for a lock (a frozen node's share lock on its row) before trying next heartbeat. */
	static final Duration RESCUE_LOCK_WAIT = Duration.ofSeconds(1);

	/**
	 * The least idle time in a transaction before PostgreSQL ends the session: a lease renewed for less than twice
	 * this (the tests that let a lease lapse renew it for 1 ms) must not end a session between two statements when
	 * the machine is busy, which would turn a refused write into a broken connection.
	 */
	static final Duration MIN_IDLE_IN_TRANSACTION = Duration.ofMillis(500);

	private static final Logger logger = LoggerFactory.getLogger(JdbcClusterStore.class);

	/** The lease the nodes of this store last joined or renewed with, in ms; 0 before any. */
	private volatile long leaseMillis;

	private final JpaJobStore jobs;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final ClusterDialect dialect;

	private final boolean listen;

	private final ClusterTables tables;

	private final ClusterClaims claims;

	private final ClusterRescues rescues;

	private final @Nullable PostgresClusterSignals signals;

	private final Set<String> knownGroups = ConcurrentHashMap.newKeySet();

	JdbcClusterStore(JpaJobStore jobs, DataSource dataSource, PlatformTransactionManager transactionManager,
			ExecraJsonCodec json, String tablePrefix, ClusterDialect dialect) {
		this(jobs, dataSource, transactionManager, json, tablePrefix, dialect, true);
	}

	/**
	 * @param listen whether nodes may be woken by the database's signals; without them (a connection pooler that
	 * cannot hold a LISTEN session, or to test polling) they poll. Signals are still sent, for nodes that listen.
	 */
	JdbcClusterStore(JpaJobStore jobs, DataSource dataSource, PlatformTransactionManager transactionManager,
			ExecraJsonCodec json, String tablePrefix, ClusterDialect dialect, boolean listen) {
		this.jobs = jobs;
		this.listen = listen;
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = new TransactionTemplate(transactionManager);
		// a count after waiting for a lock must see what the lock holder committed (InnoDB reads a snapshot else);
		// asked for only where the connections' default differs: asking costs two statements per transaction
		if (defaultIsolation(dataSource) != Connection.TRANSACTION_READ_COMMITTED) {
			this.transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
		}
		this.dialect = dialect;
		this.tables = new ClusterTables(tablePrefix, dialect);
		this.claims = new ClusterClaims(this.jdbc, this.tables, jobs, json);
		this.rescues = new ClusterRescues(this.jdbc, this.tables, jobs);
		this.signals = dialect.hasSignals()
				? new PostgresClusterSignals(dataSource, tablePrefix.toLowerCase(Locale.ROOT) + "cluster") : null;
	}

	/**
	 * Checks that cluster mode can run on a database, for start-up.
	 * @param dataSource the database
	 * @throws ClusterDatabaseUnsupportedException naming the database and what cluster mode needs, if it cannot
	 * @throws StoreException if the database cannot be reached
	 */
	public static void checkSupported(DataSource dataSource) {
		ClusterDialect.of(dataSource);
	}

	/** @return the isolation level of the pool's connections, or -1 if it cannot be read */
	private static int defaultIsolation(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			return connection.getTransactionIsolation();
		}
		catch (SQLException ex) {
			return -1;
		}
	}

	@Override
	public Joined join(String nodeId, int capacity, Duration lease) {
		this.leaseMillis = lease.toMillis();
		return inTransaction("join the cluster as node " + nodeId, (notices) -> {
			String now = this.dialect.nowMillis();
			int updated = this.jdbc.update("UPDATE " + this.tables.node() + " SET EPOCH = EPOCH + 1, JOINED_AT = "
					+ now + ", LEASE_UNTIL = " + now + " + ?, RUNNING = 0, CAPACITY = ? WHERE ID = ?",
					lease.toMillis(), capacity, nodeId);
			if (updated == 0) {
				this.jdbc.update("INSERT INTO " + this.tables.node() + " (ID, EPOCH, JOINED_AT, LEASE_UNTIL, RUNNING,"
						+ " CAPACITY) VALUES (?, 1, " + now + ", " + now + " + ?, 0, ?)", nodeId, lease.toMillis(),
						capacity);
			}
			Long epoch = this.jdbc.queryForObject("SELECT EPOCH FROM " + this.tables.node() + " WHERE ID = ?",
					Long.class, nodeId);
			List<Rescued> rescued = this.rescues.rescueJobsOf(nodeId, "node " + nodeId + " restarted", notices);
			return new Joined(new NodeLease(nodeId, epoch), rescued);
		});
	}

	@Override
	public boolean renew(NodeLease lease, Duration length, int running) {
		String now = this.dialect.nowMillis();
		this.leaseMillis = length.toMillis();
		return inTransaction("renew the lease of node " + lease.nodeId(),
				(notices) -> this.jdbc.update("UPDATE " + this.tables.node() + " SET LEASE_UNTIL = " + now
						+ " + ?, RUNNING = ? WHERE ID = ? AND EPOCH = ? AND LEASE_UNTIL > " + now, length.toMillis(),
						running, lease.nodeId(), lease.epoch()) == 1);
	}

	@Override
	public void leave(NodeLease lease) {
		String now = this.dialect.nowMillis();
		inTransaction("leave the cluster as node " + lease.nodeId(),
				(notices) -> this.jdbc.update("UPDATE " + this.tables.node() + " SET LEASE_UNTIL = " + now
						+ " WHERE ID = ? AND EPOCH = ? AND LEASE_UNTIL > " + now, lease.nodeId(), lease.epoch()));
	}

	@Override
	public void enqueueAll(List<Queued> queued) {
		if (queued.isEmpty()) {
			return;
		}
		List<Job> jobs = new ArrayList<>(queued.size());
		List<Event> created = new ArrayList<>(queued.size());
		Set<JobId> ids = new HashSet<>();
		for (Queued each : queued) {
			Job job = each.job();
			if (!ids.add(job.id())) {
				throw new IllegalArgumentException("Job " + job.id() + " is enqueued twice");
			}
			jobs.add(job);
			created.add(new Event.JobCreated(job.id(), 1, job.createdAt(), job.command()));
		}
		inTransaction("enqueue " + ((jobs.size() == 1) ? "job " + jobs.get(0).id() : jobs.size() + " jobs"),
				(notices) -> {
					this.jobs.insertNewInTransaction(jobs, created);
					this.claims.insertQueued(queued);
					// no events notice: nobody can follow a job before its spawn returned its id
					notices.add(PostgresClusterSignals.QUEUED);
					return null;
				});
	}

	@Override
	public List<ClaimedJob> claim(NodeLease lease, ClaimRequest request) {
		if (request.max() < 1) {
			return List.of();
		}
		ensureGroups(request.limits().keySet());
		return inTransaction("claim jobs for node " + lease.nodeId(), (notices) -> {
			limitLockWaits(this.leaseMillis / 4);
			if (this.dialect == ClusterDialect.POSTGRESQL && request.limits().isEmpty()) {
				List<ClaimedJob> claimed = this.claims.claimInOneStatement(lease, request);
				if (claimed == null) {
					throw new LeaseLostException(lease);
				}
				return claimed;
			}
			requireLease(lease);
			return this.claims.claim(lease, request);
		});
	}

	@Override
	public List<ClaimedJob> claimed(NodeLease lease, UUID claimId) {
		return inTransaction("read what claim " + claimId + " of node " + lease.nodeId() + " took",
				(notices) -> this.claims.claimed(lease, claimId));
	}

	@Override
	public int write(NodeLease lease, List<Job> jobs, List<Event> events) {
		if (jobs.isEmpty() && events.isEmpty()) {
			return 0;
		}
		return inTransaction("write " + jobs.size() + " jobs and " + events.size() + " events of node "
				+ lease.nodeId(), (notices) -> {
					// no lock wait limit: only a rescue of this node, short, can hold its row against the share lock
					limitLockWaits(0);
					requireLease(lease);
					return new FencedWrite(this.jdbc, this.tables, this.jobs).write(lease, jobs, events, notices);
				});
	}

	@Override
	public List<Rescued> rescue(NodeLease rescuer) {
		try {
			return rescueOnce(rescuer);
		}
		catch (StoreException ex) {
			if (!(ex.getCause() instanceof PessimisticLockingFailureException)) {
				throw ex;
			}
			// a dead node froze holding a lock on its row: its session ends once idle half a lease; try next time
			logger.info("Node {} waited too long for a lock to rescue the jobs of dead nodes; it tries again at its"
					+ " next heartbeat: {}", rescuer.nodeId(), ex.getCause().getMessage());
			return List.of();
		}
	}

	private List<Rescued> rescueOnce(NodeLease rescuer) {
		return inTransaction("rescue the jobs of dead nodes", (notices) -> {
			limitLockWaits(Math.min(RESCUE_LOCK_WAIT.toMillis(), Math.max(1, this.leaseMillis / 4)));
			// no share lock on the rescuer's own row: a rescuer that lapses meanwhile would deadlock with another
			// rescuing it; what it rescues is dead either way
			if (!leaseHolds(rescuer, "")) {
				throw new LeaseLostException(rescuer);
			}
			return this.rescues.rescueDeadNodes(notices);
		});
	}

	@Override
	public boolean requestCancel(JobId id) {
		return inTransaction("request cancel of job " + id, (notices) -> this.rescues.requestCancel(id, notices));
	}

	@Override
	public List<JobId> cancelRequests(NodeLease lease) {
		return inTransaction("read the cancel requests of node " + lease.nodeId(),
				(notices) -> this.jdbc.queryForList("SELECT JOB_ID FROM " + this.tables.job()
						+ " WHERE OWNER_NODE = ? AND OWNER_EPOCH = ? AND STATUS = '" + CLAIMED
						+ "' AND CANCEL_REQUESTED = TRUE", String.class, lease.nodeId(), lease.epoch())
					.stream()
					.map((id) -> new JobId(UUID.fromString(id.trim())))
					.toList());
	}

	@Override
	public List<NodeInfo> nodes() {
		return inTransaction("read the cluster's nodes", (notices) -> this.jdbc.query(
				"SELECT ID, EPOCH, JOINED_AT, LEASE_UNTIL, " + this.dialect.nowMillis() + " AS NOW_MILLIS, RUNNING,"
						+ " CAPACITY FROM " + this.tables.node() + " ORDER BY ID",
				(rs, row) -> new NodeInfo(rs.getString("ID"), rs.getLong("EPOCH"),
						java.time.Instant.ofEpochMilli(rs.getLong("JOINED_AT")),
						java.time.Instant.ofEpochMilli(rs.getLong("LEASE_UNTIL")),
						rs.getLong("LEASE_UNTIL") > rs.getLong("NOW_MILLIS"), rs.getInt("RUNNING"),
						rs.getInt("CAPACITY"))));
	}

	@Override
	public Optional<ClusterSignals> signals() {
		return this.listen ? Optional.ofNullable(this.signals) : Optional.empty();
	}

	/**
	 * Creates the rows of limited groups this store has not seen yet, in a transaction of their own: created inside
	 * a claim, which then locks them, concurrent claims deadlock on InnoDB (both wait on the duplicate key, then both
	 * want the row).
	 */
	private void ensureGroups(Set<String> groups) {
		List<String> missing = groups.stream().filter((group) -> !this.knownGroups.contains(group)).sorted().toList();
		if (missing.isEmpty()) {
			return;
		}
		inTransaction("create the rows of the limited groups " + missing, (notices) -> {
			missing.forEach((group) -> this.jdbc.update(this.dialect.insertGroup(this.tables.group()), group));
			return null;
		});
		this.knownGroups.addAll(missing);
	}

	/**
	 * On PostgreSQL, for the current transaction: waits for a lock fail after {@code lockWaitMillis} (0: no limit),
	 * and the
	 * database ends the session if the transaction stays idle for half the lease (its node froze), releasing its
	 * locks. Elsewhere nothing: MariaDB's equivalents are session settings, which would outlive the transaction on the
	 * application's pooled connections.
	 */
	private void limitLockWaits(long lockWaitMillis) {
		long lease = this.leaseMillis;
		if (this.dialect != ClusterDialect.POSTGRESQL || lease <= 0) {
			return;
		}
		this.jdbc.query("SELECT set_config('lock_timeout', ?, true), set_config("
				+ "'idle_in_transaction_session_timeout', ?, true)", (rs) -> null,
				Long.toString(Math.max(0, lockWaitMillis)),
				Long.toString(Math.max(MIN_IDLE_IN_TRANSACTION.toMillis(), lease / 2)));
	}

	/** Reads the node's row with a share lock: a rescue's bump of its epoch waits for this transaction. */
	private void requireLease(NodeLease lease) {
		if (!leaseHolds(lease, this.dialect.shareLock())) {
			throw new LeaseLostException(lease);
		}
	}

	private boolean leaseHolds(NodeLease lease, String lock) {
		try {
			Boolean holds = this.jdbc.queryForObject(
					"SELECT EPOCH, LEASE_UNTIL, " + this.dialect.nowMillis() + " AS NOW_MILLIS FROM "
							+ this.tables.node() + " WHERE ID = ?" + lock,
					(rs, row) -> rs.getLong("EPOCH") == lease.epoch()
							&& rs.getLong("LEASE_UNTIL") > rs.getLong("NOW_MILLIS"),
					lease.nodeId());
			return Boolean.TRUE.equals(holds);
		}
		catch (EmptyResultDataAccessException ex) {
			return false;
		}
	}

	private <T> T inTransaction(String what, Work<T> work) {
		try {
			return this.transactions.execute((status) -> {
				Set<String> notices = new LinkedHashSet<>();
				T result = work.run(notices);
				notify(notices);
				return result;
			});
		}
		catch (StoreException | IllegalArgumentException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new StoreException("Could not " + what + ": " + ex.getMessage(), ex);
		}
	}

	/** {@code NOTIFY} in the transaction of the write: delivered at its commit, dropped at its rollback. */
	private void notify(Set<String> notices) {
		if (this.signals == null || notices.isEmpty()) {
			return;
		}
		List<Object> arguments = new ArrayList<>();
		StringBuilder sql = new StringBuilder("SELECT ");
		for (String notice : notices) {
			sql.append((arguments.isEmpty()) ? "" : ", ").append("pg_notify(?, ?)");
			arguments.add(this.signals.channel());
			arguments.add(notice);
		}
		this.jdbc.query(sql.toString(), (rs) -> null, arguments.toArray());
	}

	/** The work of one transaction; it adds the signals to send at commit. */
	@FunctionalInterface
	private interface Work<T> {

		T run(Set<String> notices);

	}

}
