package io.execra.internal.job;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.execra.Event;
import io.execra.Job;
import io.execra.JobId;
import io.execra.Outcome;
import io.execra.internal.delivery.Listeners;
import io.execra.internal.store.StoreWriter;

/**
 * Ends a job's finalization once the driver decided its terminal state: makes that state durable in the store,
 * then publishes Finalized and completes the job's outcome. Takes the job's lock itself: call it without the lock.
 */
final class JobFinalizer {

	private final JobId id;

	private final ReentrantLock lock;

	private final EventSequencer events;

	private final StoreWriter storeWriter;

	private final Supplier<ScheduledExecutorService> scheduler;

	private final Duration storeWriteTimeout;

	private final Listeners listeners;

	/** Tells the runtime that the job is finalized. */
	private final Runnable finalized;

	private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

	/**
	 * @param id the job
	 * @param lock the job's lock
	 * @param events publishes Finalized
	 * @param services the store writer, scheduler, settings and listeners of the runtime
	 * @param finalized tells the runtime that the job is finalized, before its outcome completes
	 */
	JobFinalizer(JobId id, ReentrantLock lock, EventSequencer events, JobServices services, Runnable finalized) {
		this.id = id;
		this.lock = lock;
		this.events = events;
		this.storeWriter = services.storeWriter();
		this.scheduler = services.scheduler();
		this.storeWriteTimeout = services.settings().storeWrites().writeTimeout();
		this.listeners = services.listeners();
		this.finalized = finalized;
	}

	/** @return the job's outcome, completed once Finalized is published */
	CompletableFuture<Outcome> outcome() {
		return this.outcome;
	}

	/**
	 * Writes the terminal state to the store, and announces it once the store has it, or after the write timeout.
	 * @param finalized the job's Finalized event, its seq taken
	 * @param snapshot the job in its terminal state
	 * @param sinceNanos when the job started (or was created, if it never started), for the listeners
	 */
	void finish(Event.Finalized finalized, Job snapshot, long sinceNanos) {
		long ticket = this.storeWriter.submit(snapshot, List.of(finalized));
		// the outcome completes once the store has the terminal state, or after the write timeout; no thread waits
		this.storeWriter.durability()
			.whenDurableOrTimedOut(this.id, ticket, this.storeWriteTimeout, this.scheduler.get(),
					() -> announceFinalized(finalized, snapshot, sinceNanos));
	}

	/** Publishes Finalized and completes the outcome, once the store has the terminal state or gave up on it. */
	private void announceFinalized(Event.Finalized finalized, Job snapshot, long sinceNanos) {
		this.lock.lock();
		try {
			this.events.publishNow(finalized);
		}
		finally {
			this.lock.unlock();
		}
		long end = System.nanoTime();
		this.listeners.jobFinalized(snapshot, Duration.ofNanos(end - sinceNanos));
		this.finalized.run();
		this.outcome.complete(finalized.outcome());
	}

}
