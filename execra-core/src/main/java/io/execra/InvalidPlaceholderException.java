package io.execra;

/**
 * Thrown when a preset is rendered with a placeholder value its rules reject (a leading dash, a line break, a path
 * outside the base directories, ...). Nothing was spawned or recorded. An {@link IllegalArgumentException}, so that
 * an application can answer it as a bad request; the message names the preset, the placeholder and the rule, and
 * shows at most the beginning of the value, with control characters escaped.
 */
public class InvalidPlaceholderException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String preset;

	private final String placeholder;

	/**
	 * Creates the exception.
	 * @param preset the preset's name
	 * @param placeholder the placeholder's name
	 * @param reason what was wrong with the value, ready to be shown
	 */
	public InvalidPlaceholderException(String preset, String placeholder, String reason) {
		super("Preset '" + preset + "', placeholder '" + placeholder + "': " + reason);
		this.preset = preset;
		this.placeholder = placeholder;
	}

	/**
	 * The preset whose placeholder got the value.
	 * @return the preset's name
	 */
	public String preset() {
		return this.preset;
	}

	/**
	 * The placeholder whose value was rejected.
	 * @return the placeholder's name
	 */
	public String placeholder() {
		return this.placeholder;
	}

}
