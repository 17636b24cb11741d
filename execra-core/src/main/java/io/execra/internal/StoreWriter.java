package io.execra.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.execra.Event;
import io.execra.Job;
import io.execra.JobId;
import io.execra.store.JobStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.execra.internal.delivery.Listeners;

/**
 * Writes job snapshots and events to the {@link JobStore} from one thread of its own, in batches, never from a
 * process pump. A slow store is given batches that grow with the load: before each write the writer waits for
 * more work about as long as its last write took (at most 10 ms, and not while something waits for the work to be
 * durable), and a job's snapshots queued meanwhile are coalesced into its latest. While the store fails, writes
 * are retried with back-off and new work is buffered up to a bound; past it, intermediate events are dropped
 * (counted and logged) but job snapshots and terminal events never are. A caller can wait for everything it
 * submitted so far to be durable ({@link #flush}).
 */
public final class StoreWriter {

	private static final Logger logger = LoggerFactory.getLogger(StoreWriter.class);

	private static final int MAX_BATCH = 1000;

	/**
	 * Longest wait for more work before a write (group commit). The writer waits as long as its last write took,
	 * up to this, so a slow store is busy at most about half the time and its batches grow with the load rather
	 * than being one job's worth each; a store that writes in under {@link #MIN_LINGER_NANOS} is not waited for.
	 */
	private static final long MAX_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private static final long MIN_LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

	/** Events already queued that make a batch worth writing without waiting for more. */
	private static final int LINGER_BATCH = 100;

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

	/** Rounds, and time, a reachable store may refuse a whole batch before what it refuses is dropped. */
	private static final int MAX_REFUSALS = 5;

	private static final Duration MIN_REFUSAL_TIME = Duration.ofSeconds(10);

	private final JobStore store;

	private final int capacity;

	private final ThreadFactory threads;

	private final Listeners listeners;

	/** Whether the store implements {@link JobStore#ping()} rather than inheriting the no-op. */
	private final boolean pingImplemented;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition work = this.lock.newCondition();

	private final Condition written = this.lock.newCondition();

	private static final long UNCONFIRMED_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final AtomicLong unconfirmedLoggedAt = new AtomicLong();

	private final AtomicLong unconfirmedSinceLog = new AtomicLong();

	/** Callbacks of {@link #whenDurable}, by ticket. */
	private final TreeMap<Long, List<Runnable>> durableCallbacks = new TreeMap<>();

	/** Latest snapshot per job not yet written (coalesced). */
	private final Map<JobId, Job> snapshots = new LinkedHashMap<>();

	private final ArrayDeque<Pending> events = new ArrayDeque<>();

	private record Pending(long ticket, Event event) {
	}

	private long submitted;

	private long durable;

	/** The highest ticket a {@link #flush} waits for: no lingering while it is not durable. */
	private long flushRequested;

	/** How long the writer waits for more work before its next write; writer thread only. */
	private long lingerNanos;

	private long dropped;

	private boolean running;

	private boolean stopping;

	private volatile @Nullable Throwable lastFailure;

	public StoreWriter(JobStore store, int capacity, ThreadFactory threads, Listeners listeners) {
		this.store = store;
		this.capacity = capacity;
		this.threads = threads;
		this.listeners = listeners;
		this.pingImplemented = implementsPing(store);
	}

	private static boolean implementsPing(JobStore store) {
		try {
			return store.getClass().getMethod("ping").getDeclaringClass() != JobStore.class;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	/**
	 * Queues a snapshot and events for writing.
	 * @param job the snapshot, or {@code null}
	 * @param batch events (output lines are skipped)
	 * @return a ticket for {@link #awaitDurable}
	 */
	public long submit(@Nullable Job job, List<Event> batch) {
		this.lock.lock();
		try {
			ensureRunning();
			if (job != null) {
				this.snapshots.remove(job.id());
				this.snapshots.put(job.id(), job);
			}
			long ticket = this.submitted + 1;
			for (Event event : batch) {
				if (event instanceof Event.OutputAppended || event instanceof Event.Lagged) {
					continue;
				}
				if (this.events.size() >= this.capacity && !isEssential(event)) {
					this.dropped++;
					if (this.dropped == 1 || this.dropped % 10_000 == 0) {
						logger.warn("Store buffer full ({} events): {} intermediate events dropped so far; "
								+ "terminal states are kept", this.capacity, this.dropped);
					}
					this.listeners.storeEventsDropped(1);
					continue;
				}
				this.events.add(new Pending(ticket, event));
			}
			this.submitted = ticket;
			this.work.signal();
			return ticket;
		}
		finally {
			this.lock.unlock();
		}
	}

	private static boolean isEssential(Event event) {
		return event instanceof Event.Finalized || event instanceof Event.JobCreated || event instanceof Event.Exited;
	}

	/**
	 * Waits until the submission with this ticket (and all before it) is written.
	 * @param ticket from {@link #submit}
	 * @param timeout how long to wait
	 * @return whether it was written in time
	 */
	public boolean awaitDurable(long ticket, Duration timeout) {
		long nanos = Durations.nanos(timeout);
		this.lock.lock();
		try {
			while (this.durable < ticket) {
				if (nanos <= 0) {
					return false;
				}
				nanos = this.written.awaitNanos(nanos);
			}
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Notes that a job's terminal state was not confirmed by the store in time. Logged at most every 10 s, with the
	 * number of such jobs since, so that a store lagging behind a burst of thousands of jobs does not flood the log.
	 * @param jobId the job
	 * @param wait how long its outcome waited
	 */
	public void unconfirmed(JobId jobId, Duration wait) {
		long count = this.unconfirmedSinceLog.incrementAndGet();
		long now = System.nanoTime();
		long last = this.unconfirmedLoggedAt.get();
		if ((last == 0 || now - last >= UNCONFIRMED_LOG_INTERVAL_NANOS)
				&& this.unconfirmedLoggedAt.compareAndSet(last, now)) {
			long jobs = this.unconfirmedSinceLog.getAndSet(0);
			logger.warn("Job {}: terminal state not confirmed by the store within {} ({} job(s) so far since the last"
					+ " such warning, backlog {}); it stays queued for writing", jobId, wait, jobs, backlog());
		}
		else {
			logger.debug("Job {}: terminal state not confirmed by the store within {} ({} pending report)", jobId, wait,
					count);
		}
	}

	/**
	 * Runs a callback once the submission with this ticket (and all before it) is written: at once on this thread
	 * if it is already, else on the writer thread right after the write. Nothing waits meanwhile, so a store that
	 * falls behind a burst of jobs does not hold a thread per finishing job. Callbacks must be quick.
	 * @param ticket from {@link #submit}
	 * @param callback what to run
	 */
	public void whenDurable(long ticket, Runnable callback) {
		this.lock.lock();
		try {
			if (this.durable < ticket) {
				this.durableCallbacks.computeIfAbsent(ticket, (key) -> new ArrayList<>(1)).add(callback);
				// a lingering writer writes at once
				this.work.signal();
				return;
			}
		}
		finally {
			this.lock.unlock();
		}
		callback.run();
	}

	/**
	 * Waits until everything submitted so far is written.
	 * @param timeout how long to wait
	 * @return whether it was written in time
	 */
	public boolean flush(Duration timeout) {
		long ticket;
		this.lock.lock();
		try {
			ticket = this.submitted;
			if (ticket > this.flushRequested) {
				this.flushRequested = ticket;
				this.work.signalAll();
			}
		}
		finally {
			this.lock.unlock();
		}
		return awaitDurable(ticket, timeout);
	}

	/** @return the last write failure, or {@code null} if the last write succeeded */
	public @Nullable Throwable lastFailure() {
		return this.lastFailure;
	}

	/** @return events waiting to be written */
	public int backlog() {
		this.lock.lock();
		try {
			return this.events.size() + this.snapshots.size();
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

	private void run() {
		Duration backoff = Duration.ofMillis(100);
		while (true) {
			List<Job> jobs;
			List<Event> batch;
			long ticket;
			this.lock.lock();
			try {
				while (this.snapshots.isEmpty() && this.events.isEmpty() && this.durable == this.submitted) {
					if (this.stopping) {
						this.running = false;
						return;
					}
					this.work.await(1, TimeUnit.SECONDS);
				}
				linger();
				ticket = this.submitted;
				jobs = new ArrayList<>(this.snapshots.values());
				batch = new ArrayList<>(Math.min(this.events.size(), MAX_BATCH));
				while (!this.events.isEmpty() && batch.size() < MAX_BATCH) {
					batch.add(this.events.poll().event());
				}
				if (!this.events.isEmpty()) {
					// more events than one batch: submissions up to the one of the next event are complete
					ticket = this.events.peek().ticket() - 1;
				}
				this.snapshots.clear();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			finally {
				this.lock.unlock();
			}
			int refusals = 0;
			long firstRefusal = 0;
			while (!write(jobs, batch)) {
				if (refusals++ == 0) {
					firstRefusal = System.nanoTime();
				}
				// a store whose ping() answered is up, so what it refuses is at fault; without a ping of its own, only
				// a store that kept refusing for a while is taken to be up
				boolean keptRefusing = this.pingImplemented || (refusals >= MAX_REFUSALS
						&& System.nanoTime() - firstRefusal >= MIN_REFUSAL_TIME.toNanos());
				if (storeReachable() && writeOneByOne(jobs, batch, keptRefusing)) {
					// the store answers and took the rest: what it refused is at fault, not the store
					break;
				}
				if (this.stopping && backoff.compareTo(MAX_BACKOFF) >= 0) {
					logger.error("Giving up writing {} jobs and {} events to the store at shutdown", jobs.size(),
							batch.size());
					return;
				}
				sleep(backoff);
				backoff = (backoff.compareTo(MAX_BACKOFF) >= 0) ? MAX_BACKOFF : backoff.multipliedBy(2);
			}
			backoff = Duration.ofMillis(100);
			List<Runnable> callbacks = new ArrayList<>();
			this.lock.lock();
			try {
				this.durable = Math.max(this.durable, ticket);
				this.written.signalAll();
				Map<Long, List<Runnable>> due = this.durableCallbacks.headMap(this.durable, true);
				due.values().forEach(callbacks::addAll);
				due.clear();
			}
			finally {
				this.lock.unlock();
			}
			for (Runnable callback : callbacks) {
				try {
					callback.run();
				}
				catch (RuntimeException | Error ex) {
					logger.error("A callback on a durable store write failed", ex);
				}
			}
		}
	}

	/**
	 * Waits a little for more work to write with what is queued, unless something waits for it to be durable: a
	 * flush, or a callback such as a finishing job's (with few jobs at a time, the next one starts only when the
	 * last is finalized, so lingering would only delay it). Call under the lock.
	 */
	private void linger() throws InterruptedException {
		long deadline = System.nanoTime() + this.lingerNanos;
		while (this.lingerNanos > 0 && !this.stopping && this.flushRequested <= this.durable
				&& this.durableCallbacks.isEmpty() && this.events.size() < LINGER_BATCH) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return;
			}
			this.work.awaitNanos(left);
		}
	}

	private boolean write(List<Job> jobs, List<Event> batch) {
		long start = System.nanoTime();
		try {
			this.store.write(jobs, batch);
			if (this.lastFailure != null) {
				logger.info("Store reachable again; writing resumed");
			}
			this.lastFailure = null;
			long took = System.nanoTime() - start;
			this.lingerNanos = (took < MIN_LINGER_NANOS) ? 0 : Math.min(took, MAX_LINGER_NANOS);
			this.listeners.storeWrite(Duration.ofNanos(took), true);
			return true;
		}
		catch (RuntimeException ex) {
			if (this.lastFailure == null) {
				logger.warn("Could not write {} jobs and {} events to the store; retrying with back-off", jobs.size(),
						batch.size(), ex);
			}
			this.lastFailure = ex;
			this.listeners.storeWrite(Duration.ofNanos(System.nanoTime() - start), false);
			return false;
		}
	}

	private boolean storeReachable() {
		try {
			this.store.ping();
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Writes each snapshot and event on its own, so that one the store refuses cannot hold back the others. What it
	 * refuses is dropped only when it took something else, or when {@code dropRefused} (the store kept answering
	 * and refusing): a store that takes nothing is down, whatever its {@code ping()} says, and the batch is retried.
	 * @return whether the batch is done with
	 */
	private boolean writeOneByOne(List<Job> jobs, List<Event> batch, boolean dropRefused) {
		List<Job> refusedJobs = new ArrayList<>();
		List<Event> refusedEvents = new ArrayList<>();
		RuntimeException reason = null;
		for (Job job : jobs) {
			try {
				this.store.upsert(List.of(job));
			}
			catch (RuntimeException ex) {
				refusedJobs.add(job);
				reason = ex;
			}
		}
		for (Event event : batch) {
			try {
				this.store.append(List.of(event));
			}
			catch (RuntimeException ex) {
				refusedEvents.add(event);
				reason = ex;
			}
		}
		boolean tookSomething = refusedJobs.size() + refusedEvents.size() < jobs.size() + batch.size();
		if (!tookSomething && !dropRefused) {
			return false;
		}
		for (Job job : refusedJobs) {
			logger.error("The store refused the state of job {} ({}); it is not persisted: {}", job.id(), job.state(),
					reason);
		}
		for (Event event : refusedEvents) {
			this.listeners.storeEventsDropped(1);
			logger.error("The store refused event {} of job {} ({}); it is not persisted: {}", event.seq(),
					event.jobId(), event.kind(), reason);
		}
		this.lastFailure = null;
		return true;
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}


}
