package io.execra.autoconfigure;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles regular expressions taken from properties, failing with the property's name.
 */
final class ExecraRegexes {

	private ExecraRegexes() {
	}

	/**
	 * Compiles a regular expression.
	 * @param regex the expression
	 * @param property the full name of the property it comes from
	 * @return the pattern
	 * @throws InvalidExecraPropertyException if it does not compile
	 */
	static Pattern compile(String regex, String property) {
		try {
			return Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			throw new InvalidExecraPropertyException(property, regex,
					"not a valid regular expression: " + ex.getDescription() + " near index " + ex.getIndex(), ex);
		}
	}

}
