package io.execra;

/**
 * Thrown by {@link JobHandle#write(byte[])} when the bytes would pass the bound of what may wait in a job's stdin
 * for the process to take it ({@link ExecraSettings.StdinLimits#bufferBytes()}). Nothing of the failed write is queued,
 * so it may be retried once the process has read some.
 */
public class StdinBufferFullException extends ExecraException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what went wrong, naming the job and the bound
	 */
	public StdinBufferFullException(String message) {
		super(message);
	}

}
