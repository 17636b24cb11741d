package io.execra.internal.cluster;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.execra.JobId;

/**
 * Readers on this node of jobs that run on other nodes (relayed event streams, awaits), woken when the database
 * signals that a job's events were written. Thread-safe.
 */
public final class EventWakeups {

	/** A reader's registration; closing it ends it. */
	public interface Registration extends AutoCloseable {

		@Override
		void close();

	}

	private final ConcurrentMap<JobId, Set<Runnable>> readers = new ConcurrentHashMap<>();

	/**
	 * Registers a reader of a job.
	 * @param id the job
	 * @param wake what wakes the reader; it must return quickly
	 * @return unregisters the reader when closed
	 */
	public Registration register(JobId id, Runnable wake) {
		this.readers.computeIfAbsent(id, (key) -> ConcurrentHashMap.newKeySet()).add(wake);
		return () -> this.readers.computeIfPresent(id, (key, set) -> {
			set.remove(wake);
			return set.isEmpty() ? null : set;
		});
	}

	/**
	 * Wakes the readers of a job.
	 * @param id the job
	 */
	public void wake(JobId id) {
		Set<Runnable> waiting = this.readers.get(id);
		if (waiting != null) {
			waiting.forEach(Runnable::run);
		}
	}

	/** Wakes every reader: signals may have been missed. */
	public void wakeAll() {
		this.readers.values().forEach((set) -> set.forEach(Runnable::run));
	}

}
