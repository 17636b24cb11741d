package io.execra.store;

import io.execra.ExecraException;

/**
 * A store could not read or write (database down, schema missing, version too new).
 */
public class StoreException extends ExecraException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what failed
	 * @param cause the cause
	 */
	public StoreException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Creates the exception.
	 * @param message what failed
	 */
	public StoreException(String message) {
		super(message);
	}

}
