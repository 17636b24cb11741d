package io.execra;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.execra.cluster.ClusterView;

/**
 * Runs external programs as typed jobs: spawn a {@link Command}, get a {@link JobHandle}, await its
 * {@link Outcome} or follow its {@link Event}s. Owns process lifecycles, output decoding, process-group
 * cancellation, timeouts, the concurrency limit and queue, job history through a
 * {@link io.execra.store.JobStore}, and retained output. Thread-safe.
 *
 * <pre>{@code
 * ExecraRuntime rt = ExecraRuntime.inMemory();
 * JobHandle h = rt.spawn(Command.of("ffmpeg", "-i", in, out).label("Transcode").interpreter(Interpreters.ffmpeg()));
 * Outcome outcome = h.await();
 * }</pre>
 */
public interface ExecraRuntime extends AutoCloseable {

	/**
	 * A runtime with default settings and the in-memory store: no database, no files, no threads until the first
	 * spawn.
	 * @return the runtime
	 */
	static ExecraRuntime inMemory() {
		return builder().build();
	}

	/**
	 * A builder for a runtime with custom settings.
	 * @return the builder
	 */
	static ExecraRuntimeBuilder builder() {
		return new ExecraRuntimeBuilder();
	}

	/**
	 * Accepts a job and returns at once. The job starts when a concurrency permit is free (FIFO).
	 * @param command what to run
	 * @return the handle
	 * @throws JobRejectedException if the queue is full, the runtime is shutting down, or the security policy
	 * forbids the command; nothing is recorded then
	 */
	JobHandle spawn(Command command);

	/**
	 * Spawns a preset with its placeholders filled in.
	 * @param preset the preset's name
	 * @param parameters a value for each placeholder
	 * @return the handle
	 * @throws IllegalArgumentException for an unknown preset or a missing or unknown parameter
	 * @throws JobRejectedException as for {@link #spawn(Command)}
	 */
	JobHandle spawn(String preset, Map<String, String> parameters);

	/**
	 * The presets this runtime knows.
	 * @return presets by name
	 */
	Map<String, CommandTemplate> presets();

	/**
	 * Requests cancellation of a job.
	 * @param id the job
	 * @return {@code false} if the job was already finalized
	 * @throws UnknownJobException if the job is not known
	 */
	boolean cancel(JobId id);

	/**
	 * The handle of a job this runtime still holds in memory.
	 * @param id the job
	 * @return the handle, if in memory
	 */
	Optional<JobHandle> handle(JobId id);

	/**
	 * A job's snapshot: from memory, else from the store.
	 * @param id the job
	 * @return the job, if known
	 */
	Optional<Job> job(JobId id);

	/**
	 * The most recently created jobs, newest first.
	 * @param n how many at most
	 * @return the jobs
	 */
	List<Job> recent(int n);

	/**
	 * Ids of jobs queued or running (not yet exited).
	 * @return the ids, oldest first
	 */
	List<JobId> running();

	/**
	 * A query over all jobs, in memory and in the store.
	 * @return a new query
	 */
	JobsQuery jobs();

	/**
	 * A job's stored events with seq greater than {@code afterSeq} (no output lines), from memory or the store.
	 * @param id the job
	 * @param afterSeq 0 for all
	 * @param limit the most to return
	 * @return the events
	 */
	List<Event> events(JobId id, long afterSeq, int limit);

	/**
	 * Live events of all jobs from now on. Publishing never waits for the reader: one that falls more than
	 * {@link ExecraSettings#subscriberBufferSize()} events or {@link ExecraSettings#subscriberBufferMaxBytes()} behind
	 * misses the events of the jobs concerned and gets an {@link Event.Lagged} for each instead.
	 * @return a new stream; close it when done
	 */
	EventStream subscribe();

	/**
	 * Live events of all jobs from now on, output lines left out: {@link #subscribe()} for a reader that has no use
	 * for {@link Event.OutputAppended}, such as one that follows phases, progress and outcomes. The lines are never
	 * queued for it nor decoded, so a job printing millions of them costs it nothing and never makes it lag: the
	 * buffer bounds count the events it gets, and an {@link Event.Lagged} names the first of those it missed. Each
	 * job's events still come in order, their {@code seq}s with gaps where the lines were.
	 * <pre>{@code
	 * try (EventStream events = rt.subscribeWithoutOutput()) {
	 *     for (Event event; (event = events.next(Duration.ofSeconds(1))) != null;) {
	 *         if (event instanceof Event.Finalized finalized) { ... }
	 *     }
	 * }
	 * }</pre>
	 * The default implementation reads {@link #subscribe()} and drops the lines as they come, so there they still
	 * count toward the buffer; the runtimes {@link ExecraRuntimeBuilder} builds leave them out at the source.
	 * @return a new stream; close it when done
	 */
	default EventStream subscribeWithoutOutput() {
		return new EventStreamWithoutOutput(subscribe());
	}

	/**
	 * Events of one job: replayed from its first retained event, then live.
	 * @param id the job
	 * @return a new stream; close it when done
	 * @throws UnknownJobException if the job is not known
	 */
	EventStream subscribe(JobId id);

	/**
	 * Events of one job, replayed from its first retained event, then live, delivered as asked: see
	 * {@link JobHandle#events(Delivery)}. A job known only to the store has no output lines to deliver (they are
	 * never stored); its stored events are delivered either way.
	 * <p>
	 * The default implementation serves {@link Delivery#BEST_EFFORT} with {@link #subscribe(JobId)} and supports no
	 * other.
	 * @param id the job
	 * @param delivery how a reader that falls behind is treated
	 * @return a new stream; close it when done
	 * @throws UnknownJobException if the job is not known
	 * @throws UnsupportedOperationException if this runtime cannot deliver so
	 */
	default EventStream subscribe(JobId id, Delivery delivery) {
		Checks.notNull(delivery, "delivery");
		if (delivery instanceof Delivery.BestEffort) {
			return subscribe(id);
		}
		throw new UnsupportedOperationException(getClass().getName() + " does not support " + delivery);
	}

	/**
	 * Reads a job's retained output lines with seq greater than {@code afterSeq}, long-polling until there is at
	 * least one line, the job is finalized, or {@code wait} passes. Always returns at least one line when one is
	 * available, even past {@code maxBytes}.
	 * @param id the job
	 * @param afterSeq 0 to read from the start; past the job's last seq (up to {@link Long#MAX_VALUE}) nothing is
	 * returned
	 * @param maxBytes a soft limit on the page size
	 * @param wait how long to wait for new output; zero to return at once, one longer than about 292 years without
	 * end
	 * @return the page
	 * @throws UnknownJobException if the job is not known
	 * @throws InterruptedException if interrupted while waiting
	 */
	OutputPage output(JobId id, long afterSeq, int maxBytes, Duration wait) throws InterruptedException;

	/**
	 * Drops finalized jobs from the runtime's memory, typically after a retention sweep deleted them from the
	 * store, so that {@link #job}, {@link #recent}, {@link #handle} and the other lookups no longer serve them.
	 * Active jobs are never dropped.
	 * @param ids the jobs
	 */
	void forget(java.util.Collection<JobId> ids);

	/**
	 * The runtime's current load.
	 * @return the stats
	 */
	RuntimeStats stats();

	/**
	 * The settings the runtime was built with.
	 * @return the settings
	 */
	ExecraSettings settings();

	/**
	 * This runtime as a node of a cluster: its lease, the cluster's nodes and its counters.
	 * @return the view, or empty when the runtime is not in cluster mode
	 */
	default Optional<ClusterView> cluster() {
		return Optional.empty();
	}

	/**
	 * Stops accepting jobs, waits up to {@code timeout} for active jobs to finish, then cancels the rest and waits
	 * for them to be finalized (at most the cancel grace period and a little more).
	 * @param timeout how long active jobs may still run; one longer than about 292 years waits for them all
	 * @throws InterruptedException if interrupted while waiting
	 */
	void shutdown(Duration timeout) throws InterruptedException;

	/**
	 * Shuts down with no wait: cancels active jobs, waits for them to be finalized, releases threads.
	 */
	@Override
	void close();

}
