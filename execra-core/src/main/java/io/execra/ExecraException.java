package io.execra;

/**
 * Base class of execra's exceptions.
 */
public class ExecraException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message the message
	 */
	public ExecraException(String message) {
		super(message);
	}

	/**
	 * Creates the exception.
	 * @param message the message
	 * @param cause the cause
	 */
	public ExecraException(String message, Throwable cause) {
		super(message, cause);
	}

}
