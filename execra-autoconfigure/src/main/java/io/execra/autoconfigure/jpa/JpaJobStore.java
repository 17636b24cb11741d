package io.execra.autoconfigure.jpa;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import io.execra.Event;
import io.execra.Job;
import io.execra.JobId;
import io.execra.store.FindingQuery;
import io.execra.store.JobCriteria;
import io.execra.store.JobStore;
import io.execra.store.PruneCriteria;
import io.execra.store.StoreException;
import io.execra.store.StoredFinding;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@link JobStore} on JPA: job history in the {@code EXECRA_} tables of the application's database.
 * <p>
 * Each call is one short transaction; the runtime's batches ({@link #write}) are one transaction each. Writes are
 * JDBC-batched (the session's batch size is set per transaction, so the application's Hibernate settings are left
 * alone); ids are assigned by the runtime, never by the database. An append first reads which of the batch's seqs
 * are already stored (unless the job's row was inserted in the same transaction), so a retried batch writes nothing
 * twice; the runtime calls the write methods from a single thread. {@code output_appended} events are never stored
 * (but for the {@link JdbcClusterStore}, which relays output to other nodes). Queries
 * page on the database. Thread-safe.
 */
public class JpaJobStore implements JobStore {

	/** Version of the rows this store writes; rows of a higher version are refused when read. */
	public static final int SCHEMA_VERSION = 1;

	/** The class of SQLSTATEs of a refused key, among others (SQL:2016 and every driver execra runs on). */
	private static final String INTEGRITY_CONSTRAINT_VIOLATION = "23";

	/** The default number of statements per JDBC batch. */
	public static final int DEFAULT_BATCH_SIZE = 100;

	private final EntityManager entityManager;

	private final JpaRepositories repositories;

	private final JobMapper mapper;

	private final JobReader reader;

	private final TransactionTemplate writes;

	private final TransactionTemplate reads;

	private final int batchSize;

	private final StrandedJobRecovery recovery;

	private final JobPruner pruner;

	private final StoredSeqs storedSeqs;

	private final EventRows eventRows;

	private final JobRows jobRows;

	private final KnownJobs knownJobs = new KnownJobs();

	/**
	 * Creates the store.
	 * @param entityManager a shared (transaction-bound) entity manager of the persistence unit holding the
	 * {@code EXECRA_} entities
	 * @param repositories the repositories of those entities
	 * @param transactionManager the transaction manager of that persistence unit
	 * @param json the JSON codec of the value types
	 * @param batchSize statements per JDBC batch
	 * @param tablePrefix the prefix of the tables' names
	 */
	JpaJobStore(EntityManager entityManager, JpaRepositories repositories,
			PlatformTransactionManager transactionManager, ExecraJsonCodec json, int batchSize, String tablePrefix) {
		if (batchSize < 1) {
			throw new IllegalArgumentException("'batchSize' must be positive but was " + batchSize);
		}
		this.entityManager = entityManager;
		this.repositories = repositories;
		this.mapper = new JobMapper(json);
		this.reader = new JobReader(repositories.jobs(), this.mapper);
		this.writes = new TransactionTemplate(transactionManager);
		this.reads = new TransactionTemplate(transactionManager);
		this.reads.setReadOnly(true);
		this.batchSize = batchSize;
		this.recovery = new StrandedJobRecovery(repositories, this.mapper, this.reader);
		this.pruner = new JobPruner(entityManager, repositories);
		this.storedSeqs = new StoredSeqs(entityManager);
		this.eventRows = new EventRows(entityManager, this.mapper, tablePrefix, batchSize);
		this.jobRows = new JobRows(entityManager, this.mapper, tablePrefix, batchSize);
	}

	@Override
	public void upsert(List<Job> jobs) {
		write(jobs, List.of());
	}

	@Override
	public void append(List<Event> events) {
		write(List.of(), events);
	}

	/**
	 * Upserts and appends in one transaction. The jobs just upserted are known to exist, and those just inserted
	 * to have no events yet, which saves the reads an append otherwise does first.
	 */
	@Override
	public void write(List<Job> jobs, List<Event> events) {
		List<Event> storable = storable(events);
		if (jobs.isEmpty() && storable.isEmpty()) {
			return;
		}
		Set<UUID> present = new HashSet<>();
		jobs.forEach((job) -> present.add(job.id().value()));
		write("write " + jobs.size() + " jobs and " + storable.size() + " events", () -> {
			Set<UUID> inserted = upsertInTransaction(jobs);
			appendInTransaction(storable, present, inserted);
			return null;
		});
		this.knownJobs.addAll(present);
	}

	/**
	 * Writes as {@link #write} does, in the caller's transaction: the cluster store's writes are fenced in the same
	 * transaction. With {@code withOutput}, {@code output_appended} events are stored too (cluster mode relays output
	 * to other nodes through the table).
	 */
	void writeInTransaction(List<Job> jobs, List<Event> events, boolean withOutput) {
		List<Event> storable = withOutput ? events.stream().filter((event) -> !(event instanceof Event.Lagged)).toList()
				: storable(events);
		if (jobs.isEmpty() && storable.isEmpty()) {
			return;
		}
		this.entityManager.unwrap(Session.class).setJdbcBatchSize(this.batchSize);
		Set<UUID> inserted = upsertInTransaction(jobs);
		Set<UUID> present = new HashSet<>();
		jobs.forEach((job) -> present.add(job.id().value()));
		appendInTransaction(storable, present, inserted);
	}

	/**
	 * Inserts jobs no store has seen yet, with their first events, in the caller's transaction, without the reads an
	 * upsert does first: the inserts are sent at once, so that a job of one of those ids stored already fails here.
	 * @param jobs the jobs, of distinct ids
	 * @param events their first events
	 * @throws IllegalArgumentException if a job of one of those ids is stored already (the caller's transaction must
	 * roll back)
	 */
	void insertNewInTransaction(List<Job> jobs, List<Event> events) {
		Set<UUID> inserted = new HashSet<>();
		jobs.forEach((job) -> inserted.add(job.id().value()));
		try {
			this.jobRows.insert(jobs);
		}
		catch (SQLException ex) {
			if (ex.getSQLState() != null && ex.getSQLState().startsWith(INTEGRITY_CONSTRAINT_VIOLATION)) {
				throw new IllegalArgumentException("A job of " + ((jobs.size() == 1) ? "id " + jobs.get(0).id()
						: "one of the ids " + jobs.stream().map(Job::id).toList()) + " is already stored", ex);
			}
			throw new StoreException("Could not insert " + jobs.size() + " jobs: " + ex.getMessage(), ex);
		}
		appendInTransaction(storable(events), inserted, inserted);
	}

	/** The stored jobs of those ids, in the caller's transaction, with its pending writes. */
	List<Job> findInTransaction(Collection<UUID> ids) {
		try {
			return this.jobRows.find(ids);
		}
		catch (SQLException ex) {
			// unchecked, not a StoreException: the caller's message says what the read was for
			throw new UncategorizedSQLException("read " + ids.size() + " jobs", null, ex);
		}
	}

	/** The greatest seq stored of a job, 0 if none, in the caller's transaction. */
	long lastSeqInTransaction(UUID id) {
		Long last = this.repositories.events().findMaxSeq(id);
		return (last != null) ? last : 0;
	}

	/** Sends the pending writes of the caller's transaction to the database, before plain JDBC depends on them. */
	void flushInTransaction() {
		this.entityManager.flush();
	}

	private static List<Event> storable(List<Event> events) {
		return events.stream()
			.filter((event) -> !(event instanceof Event.OutputAppended) && !(event instanceof Event.Lagged))
			.toList();
	}

	/** @return the ids of the jobs inserted (rather than updated) */
	private Set<UUID> upsertInTransaction(List<Job> jobs) {
		if (jobs.isEmpty()) {
			return Set.of();
		}
		Map<UUID, Job> latest = new LinkedHashMap<>();
		jobs.forEach((job) -> latest.put(job.id().value(), job));
		try {
			return this.jobRows.upsert(latest.values());
		}
		catch (SQLException ex) {
			throw new StoreException("Could not write " + latest.size() + " jobs: " + ex.getMessage(), ex);
		}
	}

	/**
	 * @param present jobs known to be stored
	 * @param inserted jobs inserted in this transaction, whose stored events are known to be none
	 */
	private void appendInTransaction(List<Event> storable, Set<UUID> present, Set<UUID> inserted) {
		if (storable.isEmpty()) {
			return;
		}
		Map<UUID, List<Event>> byJob = new LinkedHashMap<>();
		storable.forEach((event) -> byJob.computeIfAbsent(event.jobId().value(), (id) -> new ArrayList<>()).add(event));
		Set<UUID> known = new HashSet<>();
		Set<UUID> unknown = new HashSet<>();
		for (UUID jobId : byJob.keySet()) {
			if (present.contains(jobId) || this.knownJobs.contains(jobId)) {
				known.add(jobId);
			}
			else {
				unknown.add(jobId);
			}
		}
		if (!unknown.isEmpty()) {
			Set<UUID> found;
			try {
				found = this.jobRows.stored(unknown);
			}
			catch (SQLException ex) {
				throw new UncategorizedSQLException("read which of " + unknown.size() + " jobs are stored", null, ex);
			}
			known.addAll(found);
			this.knownJobs.addAll(found);
		}
		Map<UUID, List<Event>> mayBeStored = new LinkedHashMap<>();
		byJob.forEach((jobId, jobEvents) -> {
			if (known.contains(jobId) && !inserted.contains(jobId)) {
				mayBeStored.put(jobId, jobEvents);
			}
		});
		Map<UUID, Set<Long>> stored = mayBeStored.isEmpty() ? Map.of() : this.storedSeqs.of(mayBeStored);
		List<Event> newEvents = new ArrayList<>();
		List<Event.FindingEmitted> newFindings = new ArrayList<>();
		byJob.forEach((jobId, jobEvents) -> {
			if (known.contains(jobId)) {
				Set<Long> seen = new HashSet<>(stored.getOrDefault(jobId, Set.of()));
				for (Event event : jobEvents) {
					if (seen.add(event.seq())) {
						newEvents.add(event);
						if (event instanceof Event.FindingEmitted emitted) {
							newFindings.add(emitted);
						}
					}
				}
			}
		});
		this.eventRows.insert(newEvents, newFindings);
	}

	@Override
	public Optional<Job> find(JobId id) {
		return read("find job " + id, () -> findInTransaction(List.of(id.value())).stream().findFirst());
	}

	@Override
	public List<Job> query(JobCriteria query) {
		return read("query jobs " + query, () -> this.reader.toJobs(JpqlCriteria.of(query)
			.query(this.entityManager, "select j from ExecraJob j", " order by j.createdAt desc, j.id desc",
					JobEntity.class)
			.setFirstResult(query.offset())
			.setMaxResults(query.limit())
			.getResultList()));
	}

	@Override
	public long count(JobCriteria query) {
		return read("count jobs " + query, () -> JpqlCriteria.of(query)
			.query(this.entityManager, "select count(j) from ExecraJob j", "", Long.class)
			.getSingleResult());
	}

	@Override
	public List<Event> events(JobId id, long afterSeq, int limit) {
		if (limit <= 0) {
			return List.of();
		}
		return read("read events of job " + id, () -> this.repositories.events()
			.findAfter(id.value(), afterSeq, PageRequest.ofSize(limit))
			.stream()
			.map(this.mapper::toEvent)
			.toList());
	}

	@Override
	public List<StoredFinding> findings(FindingQuery query) {
		return read("query findings " + query, () -> JpqlCriteria.of(query)
			.query(this.entityManager, "select f from ExecraFinding f",
					" order by f.foundAt desc, f.id.jobId desc, f.id.seq desc", FindingEntity.class)
			.setMaxResults(query.limit())
			.getResultList()
			.stream()
			.map(this.mapper::toStoredFinding)
			.toList());
	}

	@Override
	public List<JobId> prune(PruneCriteria criteria, int batchSize) {
		if (batchSize <= 0) {
			return List.of();
		}
		try {
			return write("prune jobs " + criteria, () -> this.pruner.prune(criteria, batchSize));
		}
		finally {
			this.knownJobs.clear();
		}
	}

	@Override
	public void heartbeat(String nodeId, Instant now) {
		write("record the heartbeat of node " + nodeId, () -> {
			NodeEntity node = this.repositories.nodes().findById(nodeId).orElse(null);
			if (node != null) {
				node.setHeartbeatAt(now.toEpochMilli());
			}
			else {
				this.repositories.nodes().save(new NodeEntity(nodeId, now.toEpochMilli()));
			}
			return null;
		});
	}

	@Override
	public List<Job> recoverStranded(String nodeId, boolean restarted, @Nullable Instant silentBefore, Instant now) {
		return write("recover stranded jobs", () -> this.recovery.recover(nodeId, restarted, silentBefore, now));
	}

	@Override
	public boolean supportsPing() {
		return true;
	}

	@Override
	public void ping() {
		read("reach the database", () -> this.entityManager.createQuery("select n.id from ExecraNode n", String.class)
			.setMaxResults(1)
			.getResultList());
	}

	private <T> T write(String what, Supplier<T> work) {
		return execute(this.writes, what, () -> {
			this.entityManager.unwrap(Session.class).setJdbcBatchSize(this.batchSize);
			return work.get();
		});
	}

	private <T> T read(String what, Supplier<T> work) {
		return execute(this.reads, what, work);
	}

	private static <T> T execute(TransactionTemplate template, String what, Supplier<T> work) {
		try {
			return template.execute((status) -> work.get());
		}
		catch (StoreException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new StoreException("Could not " + what + ": " + ex.getMessage(), ex);
		}
	}

}
