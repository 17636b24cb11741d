package io.execra.store;

/**
 * Runs the {@link JobStoreContractTests} against the {@link InMemoryJobStore}.
 */
class InMemoryJobStoreContractTests extends JobStoreContractTests {

	@Override
	protected JobStore createStore() {
		return new InMemoryJobStore();
	}

	@Override
	protected boolean canBeUnreachable() {
		return false;
	}

}
