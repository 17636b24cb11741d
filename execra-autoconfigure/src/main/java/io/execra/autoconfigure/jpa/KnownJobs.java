package io.execra.autoconfigure.jpa;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The ids of jobs this store saw committed (written by it, or found by a query), the most recent first: the events
 * of those jobs are appended without asking the database first whether their job exists, a query the store writer
 * otherwise made in every batch of a long job's events. A job pruned since, here or by another instance, fails
 * its events' batch on the foreign key; the writer then writes that batch one record at a time and drops those
 * events, as it would have dropped them after the query. Thread-safe.
 */
final class KnownJobs {

	/** How many ids it keeps: far more than the jobs that run at once. */
	static final int CAPACITY = 10_000;

	private final Map<UUID, Boolean> ids = new LinkedHashMap<>(256, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
			return size() > CAPACITY;
		}

	};

	synchronized boolean contains(UUID id) {
		return this.ids.get(id) != null;
	}

	synchronized void addAll(Collection<UUID> known) {
		known.forEach((id) -> this.ids.put(id, Boolean.TRUE));
	}

	/** Forgets every id: jobs were deleted. */
	synchronized void clear() {
		this.ids.clear();
	}

}
