package io.execra;

/**
 * Thrown by {@code spawn} when a command exceeds a {@link CommandLimits} bound: unlike the other rejections, trying
 * again will not help, so an application answers it as a bad request (HTTP 400), not as a temporary refusal.
 */
public class CommandLimitExceededException extends JobRejectedException {

	private static final long serialVersionUID = 1L;

	private final String limit;

	/**
	 * Creates the exception.
	 * @param message what exceeded which limit, and by how much
	 * @param limit the name of the {@link CommandLimits} constant exceeded, such as {@code MAX_OWNER_LENGTH}
	 */
	public CommandLimitExceededException(String message, String limit) {
		super(message);
		this.limit = limit;
	}

	/**
	 * The limit exceeded.
	 * @return the name of its {@link CommandLimits} constant, such as {@code MAX_ARGUMENT_BYTES}
	 */
	public String limit() {
		return this.limit;
	}

}
