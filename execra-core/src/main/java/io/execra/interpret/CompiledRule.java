package io.execra.interpret;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.execra.Severity;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RuleDefinition} checked and compiled: its type resolved, the fields the type needs present and its
 * pattern compiled. Immutable and thread-safe.
 */
final class CompiledRule {

	final int index;

	final RuleType type;

	final Pattern pattern;

	final RuleDefinition definition;

	final Severity severity;

	private CompiledRule(int index, RuleType type, Pattern pattern, RuleDefinition definition) {
		this.index = index;
		this.type = type;
		this.pattern = pattern;
		this.definition = definition;
		this.severity = (definition.severity() != null) ? definition.severity() : Severity.INFO;
	}

	/**
	 * Checks and compiles a rule.
	 * @param index the rule's index, for error messages
	 * @param definition the rule
	 * @return the compiled rule
	 * @throws InvalidRuleException naming the rule if it cannot work
	 */
	static CompiledRule compile(int index, RuleDefinition definition) {
		RuleType type;
		try {
			type = RuleType.of(definition.type());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRuleException(index, "rule[" + index + "]: " + ex.getMessage(), null);
		}
		String rule = describe(index, type, definition);
		switch (type) {
			case ENTER_PHASE -> require(index, rule, "name", definition.name());
			case KNOWN_ERROR, FINDING -> {
				require(index, rule, "code", definition.code());
				require(index, rule, "message", definition.message());
			}
			case WARNING, LABEL, SUMMARY, PROMPT -> require(index, rule, "message", definition.message());
			default -> {
			}
		}
		try {
			return new CompiledRule(index, type, Pattern.compile(definition.pattern()), definition);
		}
		catch (PatternSyntaxException ex) {
			throw new InvalidRuleException(index, rule + ": invalid pattern '" + definition.pattern() + "': "
					+ ex.getDescription() + ((ex.getIndex() >= 0) ? " near index " + ex.getIndex() : ""), ex);
		}
	}

	/**
	 * Searches the text.
	 * @param text the line's text
	 * @return the match, or {@code null}
	 */
	@Nullable Matcher match(String text) {
		Matcher matcher = this.pattern.matcher(text);
		return matcher.find() ? matcher : null;
	}

	private static void require(int index, String rule, String field, @Nullable String value) {
		if (value == null || value.isEmpty()) {
			throw new InvalidRuleException(index, rule + ": '" + field + "' must not be empty", null);
		}
	}

	private static String describe(int index, RuleType type, RuleDefinition definition) {
		String id = (type == RuleType.ENTER_PHASE) ? definition.name() : definition.code();
		return "rule[" + index + "] (" + type.id() + ((id != null && !id.isEmpty()) ? " '" + id + "'" : "") + ")";
	}

	@Override
	public String toString() {
		return describe(this.index, this.type, this.definition);
	}

}
