package io.execra;

/**
 * Thrown when writing to a job's stdin that is not a pipe, was closed, or whose process exited.
 */
public class StdinClosedException extends ExecraException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what went wrong, naming the job
	 */
	public StdinClosedException(String message) {
		super(message);
	}

}
