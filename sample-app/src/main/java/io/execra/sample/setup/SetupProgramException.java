package io.execra.sample.setup;

import io.execra.JobId;

/**
 * Thrown when a job that sets up the workspace could not start its program (not installed, not on the
 * {@code PATH}, not executable), or a setup script did not find the program it runs. The setup job is recorded,
 * failed with the error; nothing else was started.
 */
public class SetupProgramException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String program;

	private final JobId jobId;

	/**
	 * Creates the exception.
	 * @param program the program that could not start or was not found, as the preset names it
	 * @param jobId the setup job, recorded as failed
	 * @param message why, naming the program and the job
	 */
	SetupProgramException(String program, JobId jobId, String message) {
		super(message);
		this.program = program;
		this.jobId = jobId;
	}

	/**
	 * The program that could not start or was not found.
	 * @return the program, as the preset names it
	 */
	public String program() {
		return this.program;
	}

	/**
	 * The setup job, recorded with the failure.
	 * @return its id
	 */
	public JobId jobId() {
		return this.jobId;
	}

}
