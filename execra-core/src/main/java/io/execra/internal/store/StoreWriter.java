package io.execra.internal.store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.execra.Event;
import io.execra.ExecraListener;
import io.execra.Job;
import io.execra.store.JobStore;
import org.jspecify.annotations.Nullable;

/**
 * Writes job snapshots and events to the {@link JobStore} from one thread of its own, in batches, never from a
 * process pump; or, for a store that {@linkplain JobStore#writesInMemory() writes in memory}, on the submitting
 * thread, the writer thread taking over only a write that failed (and what follows it, until it is written). Its
 * policies are classes of their own: what is queued, coalesced and dropped ({@link WriteQueue}), how long to wait
 * for more work before a write ({@link GroupCommit}), retrying with back-off
 * ({@link RetryingBatchWriter}), records the store refuses ({@link RefusedRecordIsolation}), and waiting for what
 * was submitted to be durable ({@link Durability}).
 */
public final class StoreWriter {

	private static final int MAX_BATCH = 1000;

	private final ThreadFactory threads;

	/** Guards the queue; {@link #work} is signalled on new work and when something starts waiting for a write. */
	private final ReentrantLock lock = new ReentrantLock();

	private final Condition work = this.lock.newCondition();

	private final WriteQueue queue;

	private final Durability durability;

	private final GroupCommit groupCommit;

	private final RetryingBatchWriter batchWriter;

	private final boolean keepOutput;

	/** Whether submissions are written on the submitting thread while nothing older waits for the writer thread. */
	private final boolean writesHere;

	/** A batch written here that failed: the writer thread retries it before the queue. Guarded by the lock. */
	private WriteQueue.@Nullable Batch failedHere;

	private boolean running;

	private volatile boolean stopping;

	/**
	 * Creates a writer; its thread starts with the first submission.
	 * @param store the store
	 * @param capacity the most events buffered while the store falls behind
	 * @param threads makes the writer thread
	 * @param listener told of writes and of dropped events
	 */
	public StoreWriter(JobStore store, int capacity, ThreadFactory threads, ExecraListener listener) {
		this(store, capacity, threads, listener, new GroupCommit(), null, false);
	}

	/**
	 * Creates a writer whose batches go to a sink rather than to the store's own writes; its thread starts with the
	 * first submission.
	 * @param store the store, whose ping tells whether it is up
	 * @param capacity the most events buffered while the store falls behind
	 * @param threads makes the writer thread
	 * @param listener told of writes and of dropped events
	 * @param sink where batches are written (in cluster mode: fenced by the node's lease)
	 * @param keepOutput whether output lines are written too
	 */
	public StoreWriter(JobStore store, int capacity, ThreadFactory threads, ExecraListener listener, BatchSink sink,
			boolean keepOutput) {
		this(store, capacity, threads, listener, new GroupCommit(), sink, keepOutput);
	}

	StoreWriter(JobStore store, int capacity, ThreadFactory threads, ExecraListener listener,
			GroupCommit groupCommit) {
		this(store, capacity, threads, listener, groupCommit, null, false);
	}

	private StoreWriter(JobStore store, int capacity, ThreadFactory threads, ExecraListener listener,
			GroupCommit groupCommit, @Nullable BatchSink sink, boolean keepOutput) {
		this.threads = threads;
		this.keepOutput = keepOutput;
		this.writesHere = sink == null && store.writesInMemory();
		ThrottledWarnings warnings = new ThrottledWarnings();
		this.queue = new WriteQueue(capacity, listener, warnings, keepOutput);
		this.durability = new Durability(this::wake, warnings, this::backlog);
		this.groupCommit = groupCommit;
		this.batchWriter = new RetryingBatchWriter(store, listener, new RefusedRecordIsolation(store, listener, sink),
				groupCommit::written, sink);
	}

	/**
	 * Queues a snapshot and events for writing.
	 * @param job the snapshot, or {@code null}
	 * @param batch events (output lines are skipped)
	 * @return a ticket for {@link #durability()}
	 */
	public long submit(@Nullable Job job, List<Event> batch) {
		long ticket;
		List<Runnable> due;
		this.lock.lock();
		try {
			ticket = this.durability.issue();
			this.queue.add(ticket, job, batch);
			if (!this.writesHere || !writeHere(ticket)) {
				ensureRunning();
				this.work.signal();
				return ticket;
			}
			due = this.durability.advance(ticket);
		}
		finally {
			this.lock.unlock();
		}
		this.durability.run(due);
		return ticket;
	}

	/**
	 * Writes what is queued on this thread, under the lock so that concurrent submissions are written in order, if
	 * every older submission is durable (none is left to the writer thread). A write that fails is left to the
	 * writer thread, which retries it with back-off before anything submitted later.
	 * @param ticket the submission just queued, the newest
	 * @return whether it was written
	 */
	private boolean writeHere(long ticket) {
		if (this.failedHere != null || !this.durability.durableBefore(ticket)) {
			return false;
		}
		while (!this.queue.isEmpty()) {
			WriteQueue.Batch batch = this.queue.take(MAX_BATCH);
			if (!this.batchWriter.writeOnce(batch.jobs(), batch.events())) {
				this.failedHere = batch;
				return false;
			}
		}
		return true;
	}

	/**
	 * @return whether output lines and every progress update are written too (cluster mode: other nodes relay a
	 * job's events from the store, and need every seq)
	 */
	public boolean keepsOutput() {
		return this.keepOutput;
	}

	/** @return the tickets of submissions and the waits for them to be durable */
	public Durability durability() {
		return this.durability;
	}

	/**
	 * Waits until everything submitted so far is written.
	 * @param timeout how long to wait
	 * @return whether it was written in time
	 */
	public boolean flush(Duration timeout) {
		return this.durability.flush(timeout);
	}

	/** @return the last write failure, or {@code null} if the last write succeeded */
	public @Nullable Throwable lastFailure() {
		return this.batchWriter.lastFailure();
	}

	/** @return snapshots and events waiting to be written */
	public int backlog() {
		this.lock.lock();
		try {
			return this.queue.backlog();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Stops after writing what is queued (waiting at most {@code timeout}).
	 * @param timeout how long to wait
	 */
	public void stop(Duration timeout) {
		flush(timeout);
		this.lock.lock();
		try {
			this.stopping = true;
			this.work.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void wake() {
		this.lock.lock();
		try {
			this.work.signal();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void ensureRunning() {
		if (!this.running) {
			this.running = true;
			this.threads.newThread(this::run).start();
		}
	}

	private void run() {
		while (true) {
			WriteQueue.Batch batch;
			this.lock.lock();
			try {
				WriteQueue.Batch failed;
				while ((failed = this.failedHere) == null && this.queue.isEmpty() && this.durability.allDurable()) {
					if (this.stopping) {
						this.running = false;
						return;
					}
					this.work.await(1, TimeUnit.SECONDS);
				}
				if (failed != null) {
					this.failedHere = null;
					batch = failed;
				}
				else {
					this.groupCommit.linger(this.work, () -> this.stopping || this.durability.isAwaited(),
							this.queue::events);
					batch = this.queue.take(MAX_BATCH);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			finally {
				this.lock.unlock();
			}
			if (!this.batchWriter.writeUntilDone(batch.jobs(), batch.events(), () -> this.stopping)) {
				return;
			}
			this.durability.markDurable(batch.throughTicket());
		}
	}

}
