package io.execra;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What a preset accepts as the value of one placeholder, checked when the preset is rendered, before anything is
 * spawned or recorded. Immutable and thread-safe; every wither returns a new rule.
 * <p>
 * Every placeholder, with a rule or without, gets the default checks: the value is not {@code null}, does not start
 * with {@code -} or a unicode dash (unless {@link #allowOptions(boolean) allowOptions}), contains no NUL, line break
 * or other control character, and is at most {@value #DEFAULT_MAX_LENGTH} characters long. A rule adds to them:
 *
 * <pre>{@code
 * PlaceholderRule.text().pattern("[a-z0-9-]+").maxLength(64);
 * PlaceholderRule.text().allowedValues("fast", "slow");
 * PlaceholderRule.path(Path.of("/srv/media")).mustExist(true);      // an input file under /srv/media
 * PlaceholderRule.url().schemes("https").hosts("git.example.org");
 * }</pre>
 *
 * @see CommandTemplate#withRule(String, PlaceholderRule)
 */
public final class PlaceholderRule {

	/** The longest value a placeholder accepts unless its rule says otherwise. */
	public static final int DEFAULT_MAX_LENGTH = 4096;

	private static final PlaceholderRule DEFAULT = new PlaceholderRule(Kind.TEXT, null, Set.of(), DEFAULT_MAX_LENGTH,
			false, List.of(), null, Set.of("http", "https"), Set.of());

	/** What a placeholder's value is. */
	public enum Kind {

		/** Any text that passes the checks. */
		TEXT,

		/**
		 * A file system path, which must stay under one of the rule's base directories once normalized and its
		 * symbolic links resolved; the normalized absolute path is substituted.
		 */
		PATH,

		/** An absolute URI with an allowed scheme and, if hosts are listed, an allowed host. */
		URL

	}

	private final Kind kind;

	private final @Nullable Pattern pattern;

	private final Set<String> allowedValues;

	private final int maxLength;

	private final boolean allowOptions;

	private final List<Path> baseDirectories;

	private final @Nullable Boolean mustExist;

	private final Set<String> schemes;

	private final Set<String> hosts;

	private PlaceholderRule(Kind kind, @Nullable Pattern pattern, Set<String> allowedValues, int maxLength,
			boolean allowOptions, List<Path> baseDirectories, @Nullable Boolean mustExist, Set<String> schemes,
			Set<String> hosts) {
		this.kind = kind;
		this.pattern = pattern;
		this.allowedValues = allowedValues;
		this.maxLength = maxLength;
		this.allowOptions = allowOptions;
		this.baseDirectories = baseDirectories;
		this.mustExist = mustExist;
		this.schemes = schemes;
		this.hosts = hosts;
	}

	/**
	 * A text value with only the default checks.
	 * @return the rule
	 */
	public static PlaceholderRule text() {
		return DEFAULT;
	}

	/**
	 * A path that must stay under one of the base directories. A relative value is resolved against the first
	 * one; the value is normalized, the symbolic links of its longest existing part are resolved, and the result
	 * must lie under a base directory (itself resolved the same way). The normalized absolute path is what the
	 * command gets.
	 * @param baseDirectories the directories the path must stay under, at least one
	 * @return the rule
	 */
	public static PlaceholderRule path(Path... baseDirectories) {
		return path(Arrays.asList(baseDirectories));
	}

	/**
	 * A path that must stay under one of the base directories; see {@link #path(Path...)}.
	 * @param baseDirectories the directories the path must stay under, at least one
	 * @return the rule
	 */
	public static PlaceholderRule path(Collection<Path> baseDirectories) {
		List<Path> bases = List.copyOf(baseDirectories);
		if (bases.isEmpty()) {
			throw new IllegalArgumentException("'baseDirectories' must not be empty for a path placeholder");
		}
		List<Path> absolute = bases.stream().map((base) -> base.toAbsolutePath().normalize()).toList();
		return new PlaceholderRule(Kind.PATH, null, Set.of(), DEFAULT_MAX_LENGTH, false, absolute, null,
				DEFAULT.schemes, Set.of());
	}

	/**
	 * An absolute URI ({@link java.net.URI} syntax) without user information, whose scheme is {@code http} or
	 * {@code https} unless {@link #schemes(String...)} says otherwise, on any host unless {@link #hosts(String...)}
	 * lists some.
	 * @return the rule
	 */
	public static PlaceholderRule url() {
		return new PlaceholderRule(Kind.URL, null, Set.of(), DEFAULT_MAX_LENGTH, false, List.of(), null,
				DEFAULT.schemes, Set.of());
	}

	/**
	 * Requires the whole value to match a regular expression.
	 * @param regex the expression
	 * @return a new rule
	 * @throws java.util.regex.PatternSyntaxException if it does not compile
	 */
	public PlaceholderRule pattern(String regex) {
		return pattern(Pattern.compile(Checks.notNull(regex, "pattern")));
	}

	/**
	 * Requires the whole value to match a pattern.
	 * @param pattern the pattern
	 * @return a new rule
	 */
	public PlaceholderRule pattern(Pattern pattern) {
		return new PlaceholderRule(this.kind, Checks.notNull(pattern, "pattern"), this.allowedValues, this.maxLength,
				this.allowOptions, this.baseDirectories, this.mustExist, this.schemes, this.hosts);
	}

	/**
	 * Requires the value to be one of these.
	 * @param values the allowed values
	 * @return a new rule
	 */
	public PlaceholderRule allowedValues(String... values) {
		return allowedValues(Arrays.asList(values));
	}

	/**
	 * Requires the value to be one of these.
	 * @param values the allowed values, not empty
	 * @return a new rule
	 */
	public PlaceholderRule allowedValues(Collection<String> values) {
		Set<String> allowed = Set.copyOf(values);
		if (allowed.isEmpty()) {
			throw new IllegalArgumentException("'allowedValues' must not be empty");
		}
		return new PlaceholderRule(this.kind, this.pattern, allowed, this.maxLength, this.allowOptions,
				this.baseDirectories, this.mustExist, this.schemes, this.hosts);
	}

	/**
	 * Bounds the value's length in characters (UTF-16 code units); the default is {@value #DEFAULT_MAX_LENGTH}.
	 * @param maxLength the longest value accepted
	 * @return a new rule
	 */
	public PlaceholderRule maxLength(int maxLength) {
		Checks.positive(maxLength, "maxLength");
		return new PlaceholderRule(this.kind, this.pattern, this.allowedValues, maxLength, this.allowOptions,
				this.baseDirectories, this.mustExist, this.schemes, this.hosts);
	}

	/**
	 * Whether the value may start with {@code -} or a unicode dash, which a program could take for an option
	 * ({@code --upload-pack=...}, {@code -rf}). Off by default.
	 * @param allowOptions whether a leading dash is accepted
	 * @return a new rule
	 */
	public PlaceholderRule allowOptions(boolean allowOptions) {
		return new PlaceholderRule(this.kind, this.pattern, this.allowedValues, this.maxLength, allowOptions,
				this.baseDirectories, this.mustExist, this.schemes, this.hosts);
	}

	/**
	 * For a path: whether it must exist ({@code true}), must not exist ({@code false}), or either ({@code null},
	 * the default).
	 * @param mustExist the requirement
	 * @return a new rule
	 */
	public PlaceholderRule mustExist(@Nullable Boolean mustExist) {
		requireKind(Kind.PATH, "mustExist");
		return new PlaceholderRule(this.kind, this.pattern, this.allowedValues, this.maxLength, this.allowOptions,
				this.baseDirectories, mustExist, this.schemes, this.hosts);
	}

	/**
	 * For a URL: the schemes allowed, compared ignoring case ({@code http} and {@code https} by default).
	 * @param schemes the schemes, not empty
	 * @return a new rule
	 */
	public PlaceholderRule schemes(String... schemes) {
		return schemes(Arrays.asList(schemes));
	}

	/**
	 * For a URL: the schemes allowed, compared ignoring case ({@code http} and {@code https} by default).
	 * @param schemes the schemes, not empty
	 * @return a new rule
	 */
	public PlaceholderRule schemes(Collection<String> schemes) {
		requireKind(Kind.URL, "schemes");
		Set<String> lowerCase = lowerCase(schemes, "schemes");
		if (lowerCase.isEmpty()) {
			throw new IllegalArgumentException("'schemes' must not be empty");
		}
		return new PlaceholderRule(this.kind, this.pattern, this.allowedValues, this.maxLength, this.allowOptions,
				this.baseDirectories, this.mustExist, lowerCase, this.hosts);
	}

	/**
	 * For a URL: the hosts allowed, compared ignoring case; empty (the default) allows any host.
	 * @param hosts the hosts
	 * @return a new rule
	 */
	public PlaceholderRule hosts(String... hosts) {
		return hosts(Arrays.asList(hosts));
	}

	/**
	 * For a URL: the hosts allowed, compared ignoring case; empty (the default) allows any host.
	 * @param hosts the hosts
	 * @return a new rule
	 */
	public PlaceholderRule hosts(Collection<String> hosts) {
		requireKind(Kind.URL, "hosts");
		return new PlaceholderRule(this.kind, this.pattern, this.allowedValues, this.maxLength, this.allowOptions,
				this.baseDirectories, this.mustExist, this.schemes, lowerCase(hosts, "hosts"));
	}

	private void requireKind(Kind required, String setting) {
		if (this.kind != required) {
			throw new IllegalArgumentException("'" + setting + "' applies to " + required.name().toLowerCase(Locale.ROOT)
					+ " placeholders, not to " + this.kind.name().toLowerCase(Locale.ROOT) + " ones");
		}
	}

	private static Set<String> lowerCase(Collection<String> values, String name) {
		return Set.copyOf(values.stream().map((value) -> Checks.notEmpty(value, name).toLowerCase(Locale.ROOT)).toList());
	}

	/**
	 * What the value is.
	 * @return the kind
	 */
	public Kind kind() {
		return this.kind;
	}

	/**
	 * The pattern the whole value must match.
	 * @return the pattern, or {@code null} for none
	 */
	public @Nullable Pattern pattern() {
		return this.pattern;
	}

	/**
	 * The values accepted.
	 * @return the values; empty when any value passing the other checks is
	 */
	public Set<String> allowedValues() {
		return this.allowedValues;
	}

	/**
	 * The longest value accepted.
	 * @return the length in characters
	 */
	public int maxLength() {
		return this.maxLength;
	}

	/**
	 * Whether the value may start with a dash.
	 * @return {@code true} if it may
	 */
	public boolean allowOptions() {
		return this.allowOptions;
	}

	/**
	 * For a path: the directories it must stay under, absolute and normalized.
	 * @return the directories; empty for other kinds
	 */
	public List<Path> baseDirectories() {
		return this.baseDirectories;
	}

	/**
	 * For a path: whether it must exist.
	 * @return {@code true} (must exist), {@code false} (must not exist) or {@code null} (either)
	 */
	public @Nullable Boolean mustExist() {
		return this.mustExist;
	}

	/**
	 * For a URL: the schemes allowed, in lower case.
	 * @return the schemes
	 */
	public Set<String> schemes() {
		return this.schemes;
	}

	/**
	 * For a URL: the hosts allowed, in lower case.
	 * @return the hosts; empty when any host is
	 */
	public Set<String> hosts() {
		return this.hosts;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof PlaceholderRule rule)) {
			return false;
		}
		return this.kind == rule.kind && Objects.equals(patternText(this.pattern), patternText(rule.pattern))
				&& this.allowedValues.equals(rule.allowedValues) && this.maxLength == rule.maxLength
				&& this.allowOptions == rule.allowOptions && this.baseDirectories.equals(rule.baseDirectories)
				&& Objects.equals(this.mustExist, rule.mustExist) && this.schemes.equals(rule.schemes)
				&& this.hosts.equals(rule.hosts);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.kind, patternText(this.pattern), this.allowedValues, this.maxLength,
				this.allowOptions, this.baseDirectories, this.mustExist, this.schemes, this.hosts);
	}

	/** {@link Pattern} has no equality of its own: two patterns are the same when text and flags are. */
	private static @Nullable String patternText(@Nullable Pattern pattern) {
		return (pattern != null) ? pattern.flags() + "/" + pattern.pattern() : null;
	}

	@Override
	public String toString() {
		return "PlaceholderRule[kind=" + this.kind + ", pattern=" + this.pattern + ", allowedValues="
				+ this.allowedValues + ", maxLength=" + this.maxLength + ", allowOptions=" + this.allowOptions
				+ ", baseDirectories=" + this.baseDirectories + ", mustExist=" + this.mustExist + ", schemes="
				+ this.schemes + ", hosts=" + this.hosts + "]";
	}

}
