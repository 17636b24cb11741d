package io.execra.autoconfigure.retention;

import io.execra.store.InMemoryJobStore;
import io.execra.store.JobStore;

/**
 * Retention sweeps on the in-memory store.
 */
class InMemoryRetentionCleanerTests extends AbstractRetentionCleanerTests {

	@Override
	protected JobStore createStore() {
		return new InMemoryJobStore();
	}

}
