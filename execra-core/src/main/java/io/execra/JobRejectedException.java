package io.execra;

/**
 * Thrown by {@code spawn} when a job is not accepted: the queue is full, the runtime is shutting down, the command
 * exceeds a {@link CommandLimits} bound, or the security policy forbids the command. Nothing was started and nothing
 * was recorded.
 */
public class JobRejectedException extends ExecraException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message why, naming the limit or the rule
	 */
	public JobRejectedException(String message) {
		super(message);
	}

}
