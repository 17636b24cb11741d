package io.execra.benchmarks;

import java.util.List;
import java.util.Map;

import io.execra.store.InMemoryJobStore;
import io.execra.store.JobStore;

/**
 * Where a benchmark's runtime keeps its jobs: the plug point for comparing {@link JobStore} implementations. The
 * in-memory store is built in; the JPA store (H2, PostgreSQL) is added here once branch {@code jpa} is merged.
 */
interface StoreFactory {

	/**
	 * The name shown in the results.
	 * @return the name, e.g. {@code memory}
	 */
	String name();

	/**
	 * Creates a fresh, empty store for one round.
	 * @return the store
	 */
	JobStore create();

	/**
	 * Releases what the factory holds (connection pools, containers).
	 */
	default void close() {
	}

	/** The default in-memory store. */
	StoreFactory MEMORY = new StoreFactory() {

		@Override
		public String name() {
			return "memory";
		}

		@Override
		public JobStore create() {
			return new InMemoryJobStore();
		}

	};

	/**
	 * The stores this build knows, by name.
	 * @return the factories
	 */
	static Map<String, StoreFactory> known() {
		return Map.of(MEMORY.name(), MEMORY);
	}

	/**
	 * Stores the benchmarks are meant to cover but this build does not have yet.
	 * @return names with the reason
	 */
	static List<String> pending() {
		return List.of("jpa-h2", "jpa-postgresql");
	}

}
