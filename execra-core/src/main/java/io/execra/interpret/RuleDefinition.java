package io.execra.interpret;

import io.execra.Severity;
import org.jspecify.annotations.Nullable;

/**
 * One rule of a {@link RuleInterpreter} as plain data, e.g. bound from YAML. The {@code type} decides which other
 * fields are used; templates ({@code message}, {@code label}, {@code hint}, {@code answer}) are rendered with the
 * match: {@code $0}…{@code $99} is a numbered group, {@code ${name}} a named group, a group that did not take
 * part is "", and a {@code $} not followed by a digit or {@code {name}} is kept as is.
 *
 * <table>
 * <caption>Fields used by each type</caption>
 * <tr><th>type</th><th>fields</th></tr>
 * <tr><td>{@code benign}</td><td>pattern</td></tr>
 * <tr><td>{@code progress}</td><td>pattern, hint (optional)</td></tr>
 * <tr><td>{@code percent}</td><td>pattern</td></tr>
 * <tr><td>{@code byte_progress_mb}</td><td>pattern</td></tr>
 * <tr><td>{@code enter_phase}</td><td>pattern, name, label (optional)</td></tr>
 * <tr><td>{@code label}</td><td>pattern, message</td></tr>
 * <tr><td>{@code warning}</td><td>pattern, code (optional), message</td></tr>
 * <tr><td>{@code known_error}</td><td>pattern, code, message</td></tr>
 * <tr><td>{@code finding}</td><td>pattern, severity (default {@code info}), code, message</td></tr>
 * <tr><td>{@code summary}</td><td>pattern, message</td></tr>
 * <tr><td>{@code prompt}</td><td>pattern, message, answer (optional; written to stdin followed by a newline)</td></tr>
 * </table>
 * Whether the fields a type needs are set, and whether the pattern compiles, is checked when a
 * {@link RuleInterpreter} is built, with an error naming the rule.
 *
 * @param type the rule type, see {@link RuleType#of(String)}
 * @param pattern the regular expression ({@link java.util.regex.Pattern} syntax), searched for in the line's text
 * @param name the phase name ({@code enter_phase})
 * @param label the phase label template ({@code enter_phase})
 * @param code the code ({@code warning}, {@code known_error}, {@code finding})
 * @param message the text template ({@code warning}, {@code known_error}, {@code finding}, {@code summary},
 * {@code label}, {@code prompt})
 * @param hint the hint template ({@code progress})
 * @param severity the severity ({@code finding})
 * @param answer the answer template ({@code prompt})
 */
public record RuleDefinition(String type, String pattern, @Nullable String name, @Nullable String label,
		@Nullable String code, @Nullable String message, @Nullable String hint, @Nullable Severity severity,
		@Nullable String answer) {

	public RuleDefinition {
		if (type == null || type.isBlank()) {
			throw new IllegalArgumentException("'type' must not be empty");
		}
		if (pattern == null || pattern.isEmpty()) {
			throw new IllegalArgumentException("'pattern' must not be empty");
		}
	}

	/**
	 * A {@code benign} rule.
	 * @param pattern the regular expression
	 * @return the rule
	 */
	public static RuleDefinition benign(String pattern) {
		return of(RuleType.BENIGN, pattern, null, null, null, null, null, null, null);
	}

	/**
	 * A {@code progress} rule (indeterminate progress).
	 * @param pattern the regular expression
	 * @param hint the hint template, or {@code null}
	 * @return the rule
	 */
	public static RuleDefinition progress(String pattern, @Nullable String hint) {
		return of(RuleType.PROGRESS, pattern, null, null, null, null, hint, null, null);
	}

	/**
	 * A {@code percent} rule.
	 * @param pattern the regular expression; group 1 or {@code percent} is the percentage
	 * @return the rule
	 */
	public static RuleDefinition percent(String pattern) {
		return of(RuleType.PERCENT, pattern, null, null, null, null, null, null, null);
	}

	/**
	 * A {@code byte_progress_mb} rule.
	 * @param pattern the regular expression; groups 1 and 2 (or {@code done} and {@code total}) are megabytes
	 * @return the rule
	 */
	public static RuleDefinition byteProgressMb(String pattern) {
		return of(RuleType.BYTE_PROGRESS_MB, pattern, null, null, null, null, null, null, null);
	}

	/**
	 * An {@code enter_phase} rule.
	 * @param pattern the regular expression
	 * @param name the phase name
	 * @param label the label template, or {@code null}
	 * @return the rule
	 */
	public static RuleDefinition enterPhase(String pattern, String name, @Nullable String label) {
		return of(RuleType.ENTER_PHASE, pattern, name, label, null, null, null, null, null);
	}

	/**
	 * A {@code label} rule.
	 * @param pattern the regular expression
	 * @param text the label template
	 * @return the rule
	 */
	public static RuleDefinition label(String pattern, String text) {
		return of(RuleType.LABEL, pattern, null, null, null, text, null, null, null);
	}

	/**
	 * A {@code warning} rule.
	 * @param pattern the regular expression
	 * @param code the code, or {@code null}
	 * @param message the message template
	 * @return the rule
	 */
	public static RuleDefinition warning(String pattern, @Nullable String code, String message) {
		return of(RuleType.WARNING, pattern, null, null, code, message, null, null, null);
	}

	/**
	 * A {@code known_error} rule.
	 * @param pattern the regular expression
	 * @param code the code
	 * @param message the message template
	 * @return the rule
	 */
	public static RuleDefinition knownError(String pattern, String code, String message) {
		return of(RuleType.KNOWN_ERROR, pattern, null, null, code, message, null, null, null);
	}

	/**
	 * A {@code finding} rule.
	 * @param pattern the regular expression
	 * @param severity the severity
	 * @param code the code
	 * @param message the message template
	 * @return the rule
	 */
	public static RuleDefinition finding(String pattern, Severity severity, String code, String message) {
		return of(RuleType.FINDING, pattern, null, null, code, message, null, severity, null);
	}

	/**
	 * A {@code summary} rule.
	 * @param pattern the regular expression
	 * @param message the summary template
	 * @return the rule
	 */
	public static RuleDefinition summary(String pattern, String message) {
		return of(RuleType.SUMMARY, pattern, null, null, null, message, null, null, null);
	}

	/**
	 * A {@code prompt} rule.
	 * @param pattern the regular expression
	 * @param prompt the prompt template
	 * @param answer the answer template written to stdin (followed by a newline), or {@code null} to only report
	 * the prompt
	 * @return the rule
	 */
	public static RuleDefinition prompt(String pattern, String prompt, @Nullable String answer) {
		return of(RuleType.PROMPT, pattern, null, null, null, prompt, null, null, answer);
	}

	/**
	 * A rule of any type, for callers that hold the type rather than its name (such as a binding of
	 * {@link RuleType}).
	 * @param type the rule type
	 * @param pattern the regular expression
	 * @param name the phase name, or {@code null}
	 * @param label the phase label template, or {@code null}
	 * @param code the code, or {@code null}
	 * @param message the text template, or {@code null}
	 * @param hint the hint template, or {@code null}
	 * @param severity the severity, or {@code null}
	 * @param answer the answer template, or {@code null}
	 * @return the rule
	 */
	public static RuleDefinition of(RuleType type, String pattern, @Nullable String name, @Nullable String label,
			@Nullable String code, @Nullable String message, @Nullable String hint, @Nullable Severity severity,
			@Nullable String answer) {
		return new RuleDefinition(type.id(), pattern, name, label, code, message, hint, severity, answer);
	}

}
