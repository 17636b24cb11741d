package io.execra.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.execra.Event;
import io.execra.Job;
import io.execra.JobId;
import org.jspecify.annotations.Nullable;

/**
 * Persistence SPI for job history: job snapshots, their events (every kind but {@code output_appended}) and the
 * findings in them. The runtime calls the write methods from one writer thread, in batches and never from a
 * process pump; implementations must be thread-safe for concurrent reads.
 * <p>
 * Every implementation runs the contract suite {@code JobStoreContractTests} (execra-core test jar).
 */
public interface JobStore {

	/**
	 * Inserts or updates jobs by id. An update replaces the mutable fields (state, label, progress, phase, times,
	 * pid, exit, outcome, output tail, node); the command and tags are written once.
	 * @param jobs the snapshots
	 */
	void upsert(List<Job> jobs);

	/**
	 * Appends events, in order. Events already stored (same job and seq) are ignored, so a retried batch never
	 * duplicates. {@code finding_emitted} events also add to the findings.
	 * @param events the events
	 */
	void append(List<Event> events);

	/**
	 * Writes snapshots, then events, as {@link #upsert} and then {@link #append} would: the runtime's writer thread
	 * hands each batch over this way. A store that can should do both in one transaction; a failed call is retried
	 * whole, so this too must ignore events already stored.
	 * @param jobs the snapshots, possibly empty
	 * @param events the events, possibly empty
	 */
	default void write(List<Job> jobs, List<Event> events) {
		if (!jobs.isEmpty()) {
			upsert(jobs);
		}
		if (!events.isEmpty()) {
			append(events);
		}
	}

	/**
	 * Finds a job.
	 * @param id the id
	 * @return the job, if stored
	 */
	Optional<Job> find(JobId id);

	/**
	 * Lists jobs newest first.
	 * @param criteria the criteria
	 * @return the page of jobs
	 */
	List<Job> query(JobCriteria criteria);

	/**
	 * Counts jobs matching the criteria (offset and limit ignored).
	 * @param criteria the criteria
	 * @return the count
	 */
	long count(JobCriteria criteria);

	/**
	 * Events of a job with seq greater than {@code afterSeq}, in order.
	 * @param id the job
	 * @param afterSeq 0 for all
	 * @param limit the most to return
	 * @return the events
	 */
	List<Event> events(JobId id, long afterSeq, int limit);

	/**
	 * Findings across jobs, newest first.
	 * @param criteria the criteria
	 * @return the findings
	 */
	List<StoredFinding> findings(FindingQuery query);

	/**
	 * Deletes one batch of finalized jobs (with their events and findings) that the criteria select.
	 * @param criteria what to delete
	 * @param batchSize the most to delete in this call
	 * @return the ids deleted; empty when nothing is left to delete
	 */
	List<JobId> prune(PruneCriteria criteria, int batchSize);

	/**
	 * Records that a node is alive.
	 * @param nodeId the node
	 * @param now the time
	 */
	void heartbeat(String nodeId, Instant now);

	/**
	 * Finalizes jobs left active by a node that is gone. With {@code restarted}, every queued, running or exited
	 * job of {@code nodeId} (this node, just started: its earlier jobs have no process any more). And every active
	 * job of another node whose last heartbeat is before {@code silentBefore}, or that never wrote one. Each gets the
	 * outcome {@code Failed(HostExited)} and a {@code finalized} event. Jobs of live nodes, and this node's jobs when
	 * not {@code restarted}, are left alone.
	 * @param nodeId the id of the calling node
	 * @param restarted whether the calling node just started
	 * @param silentBefore other nodes silent since before this instant count as gone ({@code null}: none)
	 * @param now the time to record
	 * @return the jobs finalized
	 */
	List<Job> recoverStranded(String nodeId, boolean restarted, @Nullable Instant silentBefore, Instant now);

	/**
	 * Whether other processes may use this store too (a database), so that this node writes heartbeats from the
	 * moment its runtime is built and looks for jobs stranded by other nodes. A store private to one process
	 * answers {@code false}.
	 * @return {@code true} unless the store lives in this process only
	 */
	default boolean isShared() {
		return true;
	}

	/**
	 * Whether a write completes in memory, without I/O and without waiting for anything that does I/O. The runtime
	 * then writes on the thread that submits (one of its event loop's, often) rather than handing every snapshot
	 * to its writer thread: no thread hand-off on a job's start or end. A store that may block, or be down,
	 * answers {@code false}, and is written from the writer thread, in batches, retried with back-off.
	 * @return {@code false} by default
	 */
	default boolean writesInMemory() {
		return false;
	}

	/**
	 * Checks that the store can be reached: for health checks, and to tell an outage (retry) from a record the
	 * store refuses (dropped alone). Implement it, and {@link #supportsPing()}, for any store that can be down.
	 * @throws StoreException if it cannot
	 */
	default void ping() {
	}

	/**
	 * Whether {@link #ping()} really checks that the store can be reached. When the store refuses a whole batch,
	 * the runtime writes its records one by one; of a store that supports ping and answers it, the records it still
	 * refuses are dropped at once (they are at fault, not the store). Of any other store they are dropped only once
	 * it took the rest of the batch, or kept refusing it for a while, so that an outage is not taken for bad records.
	 * @return {@code true} if {@link #ping()} is implemented; {@code false} by default
	 */
	default boolean supportsPing() {
		return false;
	}

}
