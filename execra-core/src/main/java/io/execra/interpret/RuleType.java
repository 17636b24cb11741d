package io.execra.interpret;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kinds of rule a {@link RuleInterpreter} knows. In a {@link RuleDefinition} the type is a string, matched
 * ignoring case, {@code -} and {@code _}: {@code known-error}, {@code known_error} and {@code knownError} are the
 * same type.
 */
public enum RuleType {

	/** The line is expected and says nothing: stop the search, emit nothing. */
	BENIGN,

	/** Indeterminate progress with an optional (rendered) hint. */
	PROGRESS,

	/** {@code $1} (or the group {@code percent}) is a percentage, scaled into the current phase's range. */
	PERCENT,

	/**
	 * {@code $1} and {@code $2} (or the groups {@code done} and {@code total}) are megabytes done and in total; the
	 * fraction is scaled into the current phase's range.
	 */
	BYTE_PROGRESS_MB,

	/** Exits the phase this interpreter opened (if any) and enters the named phase with a rendered label. */
	ENTER_PHASE,

	/** Changes the job's label to the rendered text. */
	LABEL,

	/** A warning with an optional code and a rendered message. */
	WARNING,

	/** An error the tool printed, with a code and a rendered message; it becomes the failure reason. */
	KNOWN_ERROR,

	/** A finding with a severity, a code and a rendered message. */
	FINDING,

	/** The rendered summary that becomes the outcome's message. */
	SUMMARY,

	/** A question the tool asks, with an optional rendered answer written to stdin. */
	PROMPT;

	/**
	 * The type with the given name, ignoring case, {@code -} and {@code _}.
	 * @param name the name, such as {@code known-error}
	 * @return the type
	 * @throws IllegalArgumentException naming the known types if there is none by that name
	 */
	public static RuleType of(String name) {
		String wanted = normalize(name);
		for (RuleType type : values()) {
			if (normalize(type.name()).equals(wanted)) {
				return type;
			}
		}
		throw new IllegalArgumentException("unknown rule type '" + name + "'; known types: " + knownNames());
	}

	/**
	 * The name used in definitions and error messages, such as {@code known_error}.
	 * @return the name
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	private static String knownNames() {
		return Arrays.stream(values()).map(RuleType::id).collect(Collectors.joining(", "));
	}

	private static String normalize(String name) {
		return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
	}

}
