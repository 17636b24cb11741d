package io.execra;

/**
 * The lifecycle state of a job. A job moves forward only: {@code QUEUED → RUNNING → EXITED → FINALIZED};
 * a spawn failure or a cancelled queued job goes straight to {@code FINALIZED}.
 */
public enum JobState {

	/** Waiting for a concurrency permit; no process yet. */
	QUEUED,

	/** The process was started and has not exited. */
	RUNNING,

	/** The operating system reported the exit; output is still being drained. */
	EXITED,

	/** Terminal: the outcome is known and will not change. */
	FINALIZED;

	/**
	 * Whether the job has not reached its terminal state.
	 * @return {@code true} for every state but {@link #FINALIZED}
	 */
	public boolean isActive() {
		return this != FINALIZED;
	}

}
