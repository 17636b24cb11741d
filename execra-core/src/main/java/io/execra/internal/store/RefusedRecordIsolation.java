package io.execra.internal.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import io.execra.Event;
import io.execra.ExecraListener;
import io.execra.Job;
import io.execra.store.JobStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a store that is down (the batch is retried) from a reachable store that refuses some records (those are
 * dropped alone, so that one bad record cannot hold back the history of every other job). After a batch was refused
 * whole, its snapshots and events are written one by one. What the store refuses then is dropped when it took the
 * rest, or when the store is known to be up: its {@link JobStore#ping()} answers and it
 * {@linkplain JobStore#supportsPing() supports ping}, or, without one, it kept refusing the batch for a while. Until
 * then, a store without a ping of its own that takes nothing is taken to be down, and the batch is retried.
 */
final class RefusedRecordIsolation {

	private static final Logger logger = LoggerFactory.getLogger(StoreWriter.class);

	/** Rounds, and time, a store without a ping of its own may refuse a whole batch before it is taken to be up. */
	static final int MAX_REFUSALS = 5;

	static final Duration MIN_REFUSAL_TIME = Duration.ofSeconds(10);

	private final JobStore store;

	private final ExecraListener listener;

	private final boolean pingSupported;

	private final int maxRefusals;

	private final long minRefusalNanos;

	private final LongSupplier nanoTime;

	private @Nullable BatchSink sink;

	RefusedRecordIsolation(JobStore store, ExecraListener listener) {
		this(store, listener, MAX_REFUSALS, MIN_REFUSAL_TIME, System::nanoTime);
	}

	/**
	 * @param store the store, pinged to tell whether it is up
	 * @param listener told of each record dropped
	 * @param sink where single records are written instead of the store, or {@code null} for the store
	 */
	RefusedRecordIsolation(JobStore store, ExecraListener listener, @Nullable BatchSink sink) {
		this(store, listener, MAX_REFUSALS, MIN_REFUSAL_TIME, System::nanoTime);
		this.sink = sink;
	}

	RefusedRecordIsolation(JobStore store, ExecraListener listener, int maxRefusals, Duration minRefusalTime,
			LongSupplier nanoTime) {
		this.store = store;
		this.listener = listener;
		this.pingSupported = store.supportsPing();
		this.maxRefusals = maxRefusals;
		this.minRefusalNanos = minRefusalTime.toNanos();
		this.nanoTime = nanoTime;
	}

	/**
	 * Starts on a batch the store refused.
	 * @param jobs its snapshots
	 * @param events its events
	 * @return what follows the refusals of this batch
	 */
	RefusedBatch refused(List<Job> jobs, List<Event> events) {
		return new RefusedBatch(jobs, events);
	}

	/** A batch the store refused whole, once or more. */
	final class RefusedBatch {

		private final List<Job> jobs;

		private final List<Event> events;

		private int refusals;

		private long firstRefusal;

		private RefusedBatch(List<Job> jobs, List<Event> events) {
			this.jobs = jobs;
			this.events = events;
		}

		/**
		 * Handles one more refusal of the whole batch: writes it record by record if the store is reachable.
		 * @return whether the batch is done with (the store took it, but for the records dropped and logged)
		 */
		boolean isolate() {
			if (this.refusals++ == 0) {
				this.firstRefusal = RefusedRecordIsolation.this.nanoTime.getAsLong();
			}
			return storeReachable() && writeOneByOne(this.jobs, this.events, storeKnownUp());
		}

		private boolean storeKnownUp() {
			// a store whose ping() answered is up, so what it refuses is at fault; without a ping of its own, only a
			// store that kept refusing for a while is taken to be up
			return RefusedRecordIsolation.this.pingSupported || (this.refusals >= RefusedRecordIsolation.this.maxRefusals
					&& RefusedRecordIsolation.this.nanoTime.getAsLong()
							- this.firstRefusal >= RefusedRecordIsolation.this.minRefusalNanos);
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
	 * Writes each snapshot and event on its own. What the store refuses is dropped only when it took something else,
	 * or when {@code dropRefused}; a store that takes nothing is down and the batch is retried.
	 * @return whether the batch is done with
	 */
	private boolean writeOneByOne(List<Job> jobs, List<Event> events, boolean dropRefused) {
		List<Job> refusedJobs = new ArrayList<>();
		List<Event> refusedEvents = new ArrayList<>();
		@Nullable RuntimeException reason = null;
		for (Job job : jobs) {
			try {
				if (this.sink != null) {
					this.sink.write(List.of(job), List.of());
				}
				else {
					this.store.upsert(List.of(job));
				}
			}
			catch (RuntimeException ex) {
				refusedJobs.add(job);
				reason = ex;
			}
		}
		for (Event event : events) {
			try {
				if (this.sink != null) {
					this.sink.write(List.of(), List.of(event));
				}
				else {
					this.store.append(List.of(event));
				}
			}
			catch (RuntimeException ex) {
				refusedEvents.add(event);
				reason = ex;
			}
		}
		boolean tookSomething = refusedJobs.size() + refusedEvents.size() < jobs.size() + events.size();
		if (!tookSomething && !dropRefused) {
			return false;
		}
		for (Job job : refusedJobs) {
			logger.error("The store refused the state of job {} ({}); it is not persisted: {}", job.id(), job.state(),
					reason);
		}
		for (Event event : refusedEvents) {
			this.listener.storeEventsDropped(1);
			logger.error("The store refused event {} of job {} ({}); it is not persisted: {}", event.seq(),
					event.jobId(), event.kind(), reason);
		}
		return true;
	}

}
