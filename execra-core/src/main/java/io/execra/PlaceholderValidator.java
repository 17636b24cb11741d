package io.execra;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

/**
 * Checks one placeholder value against the default checks and its {@link PlaceholderRule}, and gives the text to
 * substitute: the value itself, or for a path its normalized absolute form.
 */
final class PlaceholderValidator {

	/** How much of a rejected value an error message shows. */
	private static final int SHOWN_LENGTH = 64;

	private PlaceholderValidator() {
	}

	/**
	 * Checks a value.
	 * @param preset the preset's name, for the error
	 * @param placeholder the placeholder's name, for the error
	 * @param value the value
	 * @param rule the placeholder's rule ({@link PlaceholderRule#text()} when it has none)
	 * @return the text to substitute
	 * @throws InvalidPlaceholderException naming the preset, the placeholder and the check that failed
	 */
	static String check(String preset, String placeholder, @Nullable String value, PlaceholderRule rule) {
		if (value == null) {
			throw new InvalidPlaceholderException(preset, placeholder, "the value is null");
		}
		String problem = problem(value, rule);
		if (problem != null) {
			throw new InvalidPlaceholderException(preset, placeholder, problem);
		}
		if (rule.kind() == PlaceholderRule.Kind.PATH) {
			return checkPath(preset, placeholder, value, rule);
		}
		if (rule.kind() == PlaceholderRule.Kind.URL) {
			String urlProblem = urlProblem(value, rule);
			if (urlProblem != null) {
				throw new InvalidPlaceholderException(preset, placeholder, urlProblem);
			}
		}
		return value;
	}

	private static @Nullable String problem(String value, PlaceholderRule rule) {
		if (value.length() > rule.maxLength()) {
			return "the value " + shown(value) + " is longer than max-length " + rule.maxLength();
		}
		if (!rule.allowOptions() && !value.isEmpty() && isDash(value.charAt(0))) {
			return "the value " + shown(value)
					+ " starts with a dash, so the program could take it for an option (allow-options is false)";
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\0') {
				return "the value " + shown(value) + " contains a NUL character";
			}
			if (isLineBreak(c)) {
				return "the value " + shown(value) + " contains a line break (" + codePoint(c) + ")";
			}
			if (Character.isISOControl(c)) {
				return "the value " + shown(value) + " contains the control character " + codePoint(c);
			}
		}
		if (rule.pattern() != null && !rule.pattern().matcher(value).matches()) {
			return "the value " + shown(value) + " does not match the pattern '" + rule.pattern().pattern() + "'";
		}
		if (!rule.allowedValues().isEmpty() && !rule.allowedValues().contains(value)) {
			return "the value " + shown(value) + " is not one of the allowed values "
					+ new TreeSet<>(rule.allowedValues());
		}
		return null;
	}

	/** {@code -} and the unicode dashes a program or a normalizing layer might read as one. */
	static boolean isDash(char c) {
		return c == '-' || (c >= '\u2010' && c <= '\u2015') || c == '\u2212' || c == '\uFE58' || c == '\uFE63'
				|| c == '\uFF0D';
	}

	private static boolean isLineBreak(char c) {
		return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
	}

	private static String checkPath(String preset, String placeholder, String value, PlaceholderRule rule) {
		Path path;
		try {
			path = rule.baseDirectories().get(0).resolve(value).normalize();
		}
		catch (InvalidPathException ex) {
			throw new InvalidPlaceholderException(preset, placeholder,
					"the value " + shown(value) + " is not a valid path: " + ex.getReason());
		}
		Path real = realPathOfLongestExistingPart(path);
		boolean under = false;
		for (Path base : rule.baseDirectories()) {
			Path realBase = realPathOfLongestExistingPart(base);
			if (real != null && realBase != null && real.startsWith(realBase)) {
				under = true;
				break;
			}
		}
		if (!under) {
			throw new InvalidPlaceholderException(preset, placeholder, "the path " + shown(value)
					+ " leads outside the base directories " + rule.baseDirectories());
		}
		Boolean mustExist = rule.mustExist();
		if (mustExist != null && mustExist && !Files.exists(path)) {
			throw new InvalidPlaceholderException(preset, placeholder, "the path " + shown(value) + " does not exist");
		}
		if (mustExist != null && !mustExist && Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
			throw new InvalidPlaceholderException(preset, placeholder, "the path " + shown(value) + " already exists");
		}
		return path.toString();
	}

	/**
	 * The real path of an absolute, normalized path: its longest existing part with symbolic links resolved, and
	 * the rest appended. {@code null} when an existing part cannot be resolved, such as a dangling symbolic link,
	 * which could lead anywhere once its target is created.
	 */
	private static @Nullable Path realPathOfLongestExistingPart(Path path) {
		Path existing = path;
		while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
			existing = existing.getParent();
		}
		if (existing == null) {
			return path;
		}
		try {
			return existing.toRealPath().resolve(existing.relativize(path)).normalize();
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static @Nullable String urlProblem(String value, PlaceholderRule rule) {
		URI uri;
		try {
			uri = new URI(value);
		}
		catch (URISyntaxException ex) {
			return "the value " + shown(value) + " is not a valid URL: " + ex.getReason();
		}
		if (uri.getScheme() == null) {
			return "the value " + shown(value) + " is not an absolute URL";
		}
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		if (!rule.schemes().contains(scheme)) {
			return "the scheme '" + scheme + "' of " + shown(value) + " is not allowed (schemes: "
					+ new TreeSet<>(rule.schemes()) + ")";
		}
		if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
			return "the URL " + shown(value) + " contains user information";
		}
		if (!rule.hosts().isEmpty()) {
			String host = (uri.getHost() != null) ? uri.getHost().toLowerCase(Locale.ROOT) : null;
			if (host == null || !rule.hosts().contains(host)) {
				return "the host of " + shown(value) + " is not allowed (hosts: " + new TreeSet<>(rule.hosts()) + ")";
			}
		}
		return null;
	}

	/** The value as an error message may show it: quoted, control characters escaped, long values cut short. */
	static String shown(String value) {
		StringBuilder shown = new StringBuilder(SHOWN_LENGTH + 32).append('\'');
		int end = Math.min(value.length(), SHOWN_LENGTH);
		for (int i = 0; i < end; i++) {
			char c = value.charAt(i);
			shown.append((Character.isISOControl(c) || isLineBreak(c)) ? codePoint(c) : String.valueOf(c));
		}
		shown.append('\'');
		if (value.length() > SHOWN_LENGTH) {
			shown.insert(shown.length() - 1, "...").append(" (").append(value.length()).append(" characters)");
		}
		return shown.toString();
	}

	private static String codePoint(char c) {
		return String.format("U+%04X", (int) c);
	}

}
