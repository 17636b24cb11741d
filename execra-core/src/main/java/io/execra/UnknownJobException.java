package io.execra;

/**
 * Thrown when a job id is not known to the runtime or its store.
 */
public class UnknownJobException extends ExecraException {

	private static final long serialVersionUID = 1L;

	private final JobId jobId;

	/**
	 * Creates the exception.
	 * @param jobId the unknown id
	 */
	public UnknownJobException(JobId jobId) {
		super("Unknown job " + jobId);
		this.jobId = jobId;
	}

	/** @return the unknown id */
	public JobId jobId() {
		return this.jobId;
	}

}
