package io.execra.autoconfigure.retention;

/**
 * Callbacks on retention sweeps, for metrics. Every method has a no-op default; callbacks run on the thread of the
 * sweep and an exception they throw is logged, never stopping the sweep.
 */
public interface ExecraRetentionListener {

	/**
	 * A batch of jobs was deleted from a store.
	 * @param count how many
	 */
	default void jobsDeleted(int count) {
	}

	/**
	 * Raw-output files were deleted.
	 * @param count how many
	 */
	default void outputFilesDeleted(int count) {
	}

	/**
	 * A sweep finished, completely or on a failure.
	 * @param result what it did
	 */
	default void sweepFinished(RetentionSweepResult result) {
	}

}
