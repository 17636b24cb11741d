package io.execra.interpret;

/**
 * What a {@link RuleInterpreter} reports when the process fails (an exit other than code 0) and no rule reported a
 * known error: one known error whose message is the first unclassified line containing "failed" (ignoring case),
 * if {@code failedLine} is on, else the last non-blank stderr line, if {@code lastStderrLine} is on. Nothing is
 * reported when neither source has a line.
 *
 * @param code the code of the known error
 * @param failedLine whether to use the first unclassified line containing "failed"
 * @param lastStderrLine whether to use the last non-blank stderr line
 */
public record FallbackDefinition(String code, boolean failedLine, boolean lastStderrLine) {

	/** The default code, {@code command_error}. */
	public static final String DEFAULT_CODE = "command_error";

	/** Code {@code command_error}, both sources on. */
	public static final FallbackDefinition DEFAULT = new FallbackDefinition(DEFAULT_CODE, true, true);

	public FallbackDefinition {
		if (code == null || code.isEmpty()) {
			throw new IllegalArgumentException("'code' must not be empty");
		}
	}

	/**
	 * The default fallback with another code.
	 * @param code the code of the known error
	 * @return the fallback
	 */
	public static FallbackDefinition withCode(String code) {
		return new FallbackDefinition(code, true, true);
	}

}
