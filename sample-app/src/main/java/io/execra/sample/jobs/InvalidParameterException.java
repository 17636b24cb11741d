package io.execra.sample.jobs;

/**
 * Thrown when a client sends a value the sample does not accept for a placeholder: a placeholder the server fills
 * itself, or a value outside the placeholder's {@link ParameterRule}. Nothing was created, spawned or recorded.
 */
public class InvalidParameterException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String preset;

	private final String placeholder;

	/**
	 * Creates the exception.
	 * @param preset the preset's name
	 * @param placeholder the placeholder's name
	 * @param reason what was wrong with the value, ready to be shown
	 */
	public InvalidParameterException(String preset, String placeholder, String reason) {
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
	 * The placeholder whose value was refused.
	 * @return the placeholder's name
	 */
	public String placeholder() {
		return this.placeholder;
	}

}
