package io.execra.interpret;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.execra.Severity;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RuleDefinition} checked and compiled: its type resolved, the fields the type needs present, its
 * pattern compiled and the literal text its matches need read from it. Immutable and thread-safe; the
 * {@link Matcher}s it makes are not.
 */
final class CompiledRule {

	final int index;

	final RuleType type;

	final Pattern pattern;

	final RuleDefinition definition;

	final Severity severity;

	private final @Nullable LiteralPrefilter prefilter;

	private CompiledRule(int index, RuleType type, Pattern pattern, RuleDefinition definition) {
		this.index = index;
		this.type = type;
		this.pattern = pattern;
		this.definition = definition;
		this.severity = (definition.severity() != null) ? definition.severity() : Severity.INFO;
		this.prefilter = LiteralPrefilter.of(pattern.pattern());
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
	 * A matcher of this rule's pattern, for one session to reuse line after line.
	 * @return a new matcher
	 */
	Matcher matcher() {
		return this.pattern.matcher("");
	}

	/**
	 * Searches the text, ruling it out first without the regex when it lacks the literal text every match needs.
	 * @param matcher a matcher from {@link #matcher()}
	 * @param text the line's text
	 * @return whether the pattern is found; if so the matcher holds the match
	 */
	boolean find(Matcher matcher, String text) {
		if (this.prefilter != null && !this.prefilter.mayMatch(text)) {
			return false;
		}
		return matcher.reset(text).find();
	}

	/**
	 * Whether this rule may match the text, told by its prefilter without the regex.
	 * @param text the line's text
	 * @return {@code false} only if the pattern cannot be found in it
	 */
	boolean mayMatch(CharSequence text) {
		return this.prefilter == null || this.prefilter.mayMatch(text);
	}

	/**
	 * The characters a line must start with, one of them, for this rule to match, read from its pattern.
	 * @return the characters (not to be modified), or {@code null} if a line may start with any
	 */
	char @Nullable [] requiredFirstChars() {
		return (this.prefilter != null) ? this.prefilter.requiredFirstChars() : null;
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
