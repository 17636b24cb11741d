package io.execra;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when {@link ExecraSettings} (or one of its groups) is given a value it cannot use. Names the setting by its
 * group and name in one word ({@code replayMaxEvents}, {@code storeWriteTimeout}), so that a layer binding settings
 * from configuration can report the property it came from.
 */
public class InvalidSettingException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String setting;

	private final @Nullable String value;

	private final String reason;

	/**
	 * Creates the exception.
	 * @param setting the setting's name, such as {@code replayMaxEvents}
	 * @param value the offending value, or {@code null} when it is missing
	 * @param reason why the value cannot be used, such as {@code must be at least 1}
	 */
	public InvalidSettingException(String setting, @Nullable Object value, String reason) {
		super("'" + setting + "' " + reason + ((value != null) ? " but was " + value : ""));
		this.setting = setting;
		this.value = (value != null) ? String.valueOf(value) : null;
		this.reason = reason;
	}

	/**
	 * The setting's name.
	 * @return the name, such as {@code replayMaxEvents}
	 */
	public String setting() {
		return this.setting;
	}

	/**
	 * The offending value.
	 * @return the value, or {@code null} when it is missing
	 */
	public @Nullable String value() {
		return this.value;
	}

	/**
	 * Why the value cannot be used.
	 * @return the reason, such as {@code must be at least 1}
	 */
	public String reason() {
		return this.reason;
	}

}
