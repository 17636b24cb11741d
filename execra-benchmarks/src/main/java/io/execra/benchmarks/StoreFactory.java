package io.execra.benchmarks;

import java.util.Map;

import io.execra.store.InMemoryJobStore;
import io.execra.store.JobStore;

/**
 * Where a benchmark's runtime keeps its jobs: the plug point for comparing {@link JobStore} implementations. This
 * plain-Java harness has the in-memory store; the JPA store needs Spring and a database, so its spawn throughput
 * (H2, PostgreSQL) is measured by {@code JobThroughputBenchmarkTests} in execra-autoconfigure.
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

}
