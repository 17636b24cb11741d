package io.execra.cluster;

import java.time.Duration;

import io.execra.store.InMemoryJobStore;
import io.execra.store.JobStore;
import io.execra.store.JobStoreFixtures;

/**
 * Runs the {@link ClusterStoreContractTests} against the {@link InMemoryClusterStore}, its database clock a
 * {@link ManualClock}.
 */
class InMemoryClusterStoreContractTests extends ClusterStoreContractTests {

	private final InMemoryJobStore jobs = new InMemoryJobStore();

	private final ManualClock clock = new ManualClock(JobStoreFixtures.T0);

	@Override
	protected ClusterStore createStore() {
		return new InMemoryClusterStore(this.jobs, this.clock);
	}

	@Override
	protected JobStore jobStore() {
		return this.jobs;
	}

	@Override
	protected void letTimePass(Duration duration) {
		this.clock.advance(duration);
	}

	@Override
	protected boolean hasSignals() {
		return true;
	}

}
