package io.execra.autoconfigure;

import io.execra.ExecraException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown while execra's beans are created when an {@code execra.*} property has a value execra cannot use. Names
 * the property, so that the startup failure report points at the line to fix.
 */
public class InvalidExecraPropertyException extends ExecraException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final @Nullable String value;

	private final String reason;

	/**
	 * Creates the exception.
	 * @param property the full property name, such as {@code execra.security.redact-patterns[1]}
	 * @param value the offending value, or {@code null} when it is missing
	 * @param reason why the value cannot be used
	 */
	public InvalidExecraPropertyException(String property, @Nullable Object value, String reason) {
		this(property, value, reason, null);
	}

	/**
	 * Creates the exception.
	 * @param property the full property name
	 * @param value the offending value, or {@code null} when it is missing
	 * @param reason why the value cannot be used
	 * @param cause the underlying error, or {@code null}
	 */
	public InvalidExecraPropertyException(String property, @Nullable Object value, String reason,
			@Nullable Throwable cause) {
		super(message(property, value, reason), cause);
		this.property = property;
		this.value = (value != null) ? String.valueOf(value) : null;
		this.reason = reason;
	}

	private static String message(String property, @Nullable Object value, String reason) {
		return "Invalid value " + ((value != null) ? "'" + value + "' " : "") + "for property '" + property + "': "
				+ reason;
	}

	/**
	 * The property's full name.
	 * @return the name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * The offending value.
	 * @return the value, or {@code null} when it is missing
	 */
	public @Nullable String getValue() {
		return this.value;
	}

	/**
	 * Why the value cannot be used.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

}
