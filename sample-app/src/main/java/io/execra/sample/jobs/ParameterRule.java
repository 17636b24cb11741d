package io.execra.sample.jobs;

import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

import io.execra.InvalidPlaceholderException;

/**
 * What the sample accepts from a client for one placeholder, checked on the server before anything is created,
 * spawned or recorded. Every rule first refuses what no placeholder of the sample needs: a value longer than
 * {@value #MAX_LENGTH} characters, one that starts with a dash (an option such as {@code -report} or
 * {@code --upload-pack=...}) and control characters.
 */
@FunctionalInterface
interface ParameterRule {

	/** Longest value any placeholder of the sample takes. */
	int MAX_LENGTH = 200;

	/** Leading characters a program may read as an option: ASCII and Unicode dashes. */
	Pattern OPTION = Pattern.compile("^[-\\u2010-\\u2015\\u2212\\uFE58\\uFE63\\uFF0D]");

	/** A URL or a protocol prefix ({@code http:}, {@code file:}, ffmpeg's {@code concat:}...). */
	Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

	/**
	 * Checks a value.
	 * @param value what the client sent
	 * @return what to render: the value, or its normalized form (an absolute path)
	 * @throws IllegalArgumentException saying what is wrong with the value
	 */
	String accept(String value);

	/**
	 * Checks a value against the common limits and then this rule.
	 * @param preset the preset's name, for the error
	 * @param placeholder the placeholder's name, for the error
	 * @param value what the client sent
	 * @return what to render
	 * @throws InvalidPlaceholderException naming the preset and placeholder
	 */
	default String check(String preset, String placeholder, String value) {
		try {
			if (value.length() > MAX_LENGTH) {
				throw new IllegalArgumentException(
						"must be at most " + MAX_LENGTH + " characters long, not " + value.length());
			}
			if (OPTION.matcher(value).find()) {
				throw new IllegalArgumentException("must not start with a dash (it would be read as an option)");
			}
			if (value.chars().anyMatch(Character::isISOControl)) {
				throw new IllegalArgumentException("must not contain control characters");
			}
			return accept(value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidPlaceholderException(preset, placeholder, ex.getMessage());
		}
	}

	/**
	 * A value that matches a regular expression as a whole.
	 * @param regex the expression
	 * @return the rule
	 */
	static ParameterRule matching(String regex) {
		Pattern pattern = Pattern.compile(regex);
		return (value) -> {
			if (!pattern.matcher(value).matches()) {
				throw new IllegalArgumentException("must match " + regex);
			}
			return value;
		};
	}

	/**
	 * A decimal number of at most three digits before and after the point, from 0 to {@code max}.
	 * @param max the largest value
	 * @return the rule
	 */
	static ParameterRule decimal(int max) {
		ParameterRule digits = matching("\\d{1,3}(\\.\\d{1,3})?");
		return (value) -> {
			digits.accept(value);
			if (new BigDecimal(value).compareTo(BigDecimal.valueOf(max)) > 0) {
				throw new IllegalArgumentException("must be at most " + max);
			}
			return value;
		};
	}

	/**
	 * A path that stays inside a directory once normalized; a relative one is resolved against the directory.
	 * Renders as the absolute, normalized path, so that no program reads it as a URL or a protocol prefix.
	 * @param base the directory, absolute
	 * @return the rule
	 */
	static ParameterRule pathUnder(Path base) {
		return (value) -> {
			if (SCHEME.matcher(value).find()) {
				throw new IllegalArgumentException("must be a path in " + base + ", not a URL");
			}
			Path path;
			try {
				path = base.resolve(value).normalize();
			}
			catch (InvalidPathException ex) {
				throw new IllegalArgumentException("must be a path in " + base, ex);
			}
			if (!path.startsWith(base) || path.equals(base)) {
				throw new IllegalArgumentException("must be a path in " + base);
			}
			return path.toString();
		};
	}

}
