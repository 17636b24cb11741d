package io.execra.interpret;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a {@link RuleInterpreter} is built from a rule that cannot work: an unknown type, a missing field, or
 * a pattern that does not compile. The message names the rule, e.g.
 * {@code rule[2] (warning 'deprecated'): invalid pattern '(': Unclosed group near index 1}.
 */
public class InvalidRuleException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final int index;

	/**
	 * Creates the exception.
	 * @param index the index of the rule in its list
	 * @param message the message, naming the rule
	 * @param cause the cause, or {@code null}
	 */
	public InvalidRuleException(int index, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.index = index;
	}

	/**
	 * The index of the offending rule.
	 * @return the index, from 0
	 */
	public int index() {
		return this.index;
	}

}
