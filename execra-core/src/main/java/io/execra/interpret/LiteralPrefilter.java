package io.execra.interpret;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A cheap test that rules a line out before its rule's regex runs: literal text every match needs, found by reading
 * the pattern. In order of preference:
 * <ul>
 * <li>a pattern anchored with {@code ^} and starting with literal text, or with a group of literal alternatives
 * ({@code ^(?:ERROR|FATAL):}), needs a line that starts with it (or one of them);</li>
 * <li>a pattern ending with literal text before a final {@code $} needs a line that ends with it (before a final
 * line terminator, where {@code $} also matches);</li>
 * <li>otherwise the longest literal run of the pattern's top level (outside groups, classes and alternations) must
 * occur in the line.</li>
 * </ul>
 * Most lines of a tool's output match no rule, so for most rules a line is then turned down by a character compare,
 * a {@code startsWith}, an {@code endsWith} or an {@code indexOf} instead of a regex search.
 * <p>
 * The reading is conservative: a pattern with top-level alternation, inline flags (such as {@code (?i)}), quoting
 * ({@code \Q}), back references, escapes other than the common classes and escaped punctuation, or nested character
 * classes gets no prefilter, so the prefilter never turns down a line the regex would match. Immutable.
 */
final class LiteralPrefilter {

	private static final int PREFIX = 0;

	private static final int SUFFIX = 1;

	private static final int CONTAINS = 2;

	private static final String[] DESCRIPTIONS = { "startsWith ", "endsWith ", "contains " };

	private final int kind;

	/** One literal, or (for a prefix) the alternatives a line may start with. */
	private final String[] literals;

	/** The literals' characters, compared one by one with a text that is not a string. */
	private final char[][] literalChars;

	/** The first character of each prefix, so most lines are turned down by one compare. */
	private final char[] firsts;

	private LiteralPrefilter(int kind, String... literals) {
		this.kind = kind;
		this.literals = literals;
		this.literalChars = new char[literals.length][];
		this.firsts = new char[literals.length];
		for (int i = 0; i < literals.length; i++) {
			this.literalChars[i] = literals[i].toCharArray();
			this.firsts[i] = literals[i].charAt(0);
		}
	}

	/**
	 * Reads a pattern.
	 * @param pattern a regular expression that compiles without flags
	 * @return its prefilter, or {@code null} if it has no literal text every match needs (or is not understood)
	 */
	static @Nullable LiteralPrefilter of(String pattern) {
		return new Reader(pattern).read();
	}

	/**
	 * Whether the regex may match the text.
	 * @param text the line
	 * @return {@code false} only if the regex cannot find a match in it
	 */
	boolean mayMatch(String text) {
		if (this.kind == PREFIX) {
			if (text.isEmpty()) {
				return false;
			}
			char first = text.charAt(0);
			for (int i = 0; i < this.firsts.length; i++) {
				if (this.firsts[i] == first && text.startsWith(this.literals[i])) {
					return true;
				}
			}
			return false;
		}
		String literal = this.literals[0];
		if (this.kind == SUFFIX) {
			return text.endsWith(literal) || endsBeforeTerminator(text, this.literalChars[0]);
		}
		return text.length() >= literal.length() && text.contains(literal);
	}

	/**
	 * Whether the regex may match a text that is not a string (see {@link #mayMatch(String)}), comparing characters.
	 * @param text the line
	 * @return {@code false} only if the regex cannot find a match in it
	 */
	boolean mayMatch(CharSequence text) {
		int length = text.length();
		if (this.kind == PREFIX) {
			if (length == 0) {
				return false;
			}
			char first = text.charAt(0);
			for (int i = 0; i < this.firsts.length; i++) {
				if (this.firsts[i] == first && regionMatches(text, 0, this.literalChars[i])) {
					return true;
				}
			}
			return false;
		}
		char[] literal = this.literalChars[0];
		if (this.kind == SUFFIX) {
			return regionMatches(text, length - literal.length, literal) || endsBeforeTerminator(text, literal);
		}
		for (int i = 0, last = length - literal.length; i <= last; i++) {
			if (text.charAt(i) == literal[0] && regionMatches(text, i, literal)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The characters a line must start with, one of them, for the regex to match.
	 * @return the characters (not to be modified), or {@code null} if a line may start with any
	 */
	char @Nullable [] requiredFirstChars() {
		return (this.kind == PREFIX) ? this.firsts : null;
	}

	/** Whether the text ends with the literal before a final line terminator, where {@code $} matches too. */
	private static boolean endsBeforeTerminator(CharSequence text, char[] literal) {
		int end = text.length();
		if (end == 0) {
			return false;
		}
		char last = text.charAt(end - 1);
		if (last == '\n' && end >= 2 && text.charAt(end - 2) == '\r') {
			end -= 2;
		}
		else if (last == '\n' || last == '\r' || last == '\u0085' || last == '\u2028' || last == '\u2029') {
			end -= 1;
		}
		else {
			return false;
		}
		return regionMatches(text, end - literal.length, literal);
	}

	/** Whether the literal is found in the text at the offset. */
	private static boolean regionMatches(CharSequence text, int offset, char[] literal) {
		if (offset < 0 || offset > text.length() - literal.length) {
			return false;
		}
		for (int i = 0; i < literal.length; i++) {
			if (text.charAt(offset + i) != literal[i]) {
				return false;
			}
		}
		return true;
	}

	@Override
	public String toString() {
		return DESCRIPTIONS[this.kind] + String.join("|", this.literals);
	}

	/** One reading of a pattern's top level, left to right. */
	private static final class Reader {

		/** Escapes of one letter that stand for a class or a position, never for literal text. */
		private static final String CLASS_ESCAPES = "dDsSwWbBhHvVRXAzZG";

		private final String pattern;

		private int index;

		private final StringBuilder run = new StringBuilder();

		/** Whether the current run starts right after a leading {@code ^}. */
		private boolean runAnchored;

		private String longest = "";

		private @Nullable String anchoredPrefix;

		/** The literal alternatives of a group right after a leading {@code ^}, while the run after it is read. */
		private @Nullable List<String> alternatives;

		/** The alternatives followed by the literal run after their group: one of them starts every match. */
		private @Nullable List<String> anchoredAlternatives;

		/** The literal run right before a final {@code $}. */
		private @Nullable String suffix;

		Reader(String pattern) {
			this.pattern = pattern;
		}

		@Nullable LiteralPrefilter read() {
			if (this.pattern.contains("\\Q") || hasInlineFlags()) {
				return null;
			}
			if (this.pattern.startsWith("^")) {
				this.index = 1;
				this.runAnchored = true;
			}
			int length = this.pattern.length();
			while (this.index < length) {
				char c = this.pattern.charAt(this.index);
				boolean understood = switch (c) {
					case '\\' -> escape();
					case '[' -> skipClass();
					case '(' -> (this.index == 1 && this.runAnchored && anchoredGroup()) || skipGroup();
					case '|', ')' -> false;
					case '?', '*', '+', '{' -> quantifier();
					case '$' -> end();
					case '.', '^' -> atom(1);
					default -> literal(c);
				};
				if (!understood) {
					return null;
				}
			}
			endRun();
			if (this.anchoredAlternatives != null) {
				return new LiteralPrefilter(PREFIX, this.anchoredAlternatives.toArray(new String[0]));
			}
			if (this.anchoredPrefix != null && !this.anchoredPrefix.isEmpty()) {
				return new LiteralPrefilter(PREFIX, this.anchoredPrefix);
			}
			if (this.suffix != null && !this.suffix.isEmpty()) {
				return new LiteralPrefilter(SUFFIX, this.suffix);
			}
			return this.longest.isEmpty() ? null : new LiteralPrefilter(CONTAINS, this.longest);
		}

		/**
		 * Reads a group right after a leading {@code ^} whose alternatives are all plain literal text, such as
		 * {@code (?:ERROR|FATAL)}: every match starts with one of them (and with the literal text after the group,
		 * unless the group repeats). Anything else is left to {@link #skipGroup()}.
		 * @return whether the group was read
		 */
		private boolean anchoredGroup() {
			int start = this.index + (this.pattern.startsWith("(?:", this.index) ? 3 : 1);
			if (this.pattern.charAt(start - 1) == '(' && start < this.pattern.length()
					&& this.pattern.charAt(start) == '?') {
				return false;
			}
			List<String> read = new ArrayList<>();
			StringBuilder alternative = new StringBuilder();
			int i = start;
			int length = this.pattern.length();
			for (; i < length; i++) {
				char c = this.pattern.charAt(i);
				if (c == '|' || c == ')') {
					if (alternative.length() == 0) {
						return false;
					}
					read.add(alternative.toString());
					alternative.setLength(0);
					if (c == ')') {
						break;
					}
				}
				else if ("\\[](){}.*+?^$".indexOf(c) >= 0) {
					return false;
				}
				else {
					alternative.append(c);
				}
			}
			if (i >= length) {
				return false;
			}
			char next = (i + 1 < length) ? this.pattern.charAt(i + 1) : 0;
			if (next == '?' || next == '*' || next == '{') {
				// maybe absent
				return false;
			}
			this.index = i + 1;
			if (next == '+') {
				// repeated: a match starts with an alternative, but what follows it may be another one
				this.anchoredAlternatives = read;
				this.runAnchored = false;
				return quantifier();
			}
			this.alternatives = read;
			return true;
		}

		/** A {@code $}: at the very end, the run before it ends every match. */
		private boolean end() {
			if (this.index == this.pattern.length() - 1) {
				this.suffix = this.run.toString();
			}
			return atom(1);
		}

		/** Whether a group starts with {@code (?} and a flag rather than {@code :}, a lookaround or a name. */
		private boolean hasInlineFlags() {
			int length = this.pattern.length();
			for (int i = 0; i < length; i++) {
				char c = this.pattern.charAt(i);
				if (c == '\\') {
					i++;
				}
				else if (c == '(' && i + 2 < length && this.pattern.charAt(i + 1) == '?'
						&& ":=!<>".indexOf(this.pattern.charAt(i + 2)) < 0) {
					return true;
				}
			}
			return false;
		}

		private boolean literal(char c) {
			this.run.append(c);
			this.index++;
			return true;
		}

		private boolean escape() {
			if (this.index + 1 >= this.pattern.length()) {
				return false;
			}
			char next = this.pattern.charAt(this.index + 1);
			if (Character.isLetterOrDigit(next)) {
				// \d, \s, \b...; anything else (\p{..}, \x41, \1, \t...) is not read
				return CLASS_ESCAPES.indexOf(next) >= 0 && atom(2);
			}
			this.run.append(next);
			this.index += 2;
			return true;
		}

		/** Skips an atom that is not literal text: it ends the current run. */
		private boolean atom(int length) {
			endRun();
			this.index += length;
			return true;
		}

		private boolean skipClass() {
			int end = classEnd(this.index);
			return end > 0 && atom(end - this.index);
		}

		/**
		 * The end of the character class starting at the given index.
		 * @return the index after its {@code ]}, or -1 if it is not understood (a nested class)
		 */
		private int classEnd(int start) {
			int i = start + 1;
			int length = this.pattern.length();
			if (i < length && this.pattern.charAt(i) == '^') {
				i++;
			}
			if (i < length && this.pattern.charAt(i) == ']') {
				// a ] first in a class is literal
				i++;
			}
			while (i < length) {
				char c = this.pattern.charAt(i);
				if (c == '\\') {
					i += 2;
				}
				else if (c == '[') {
					return -1;
				}
				else if (c == ']') {
					return i + 1;
				}
				else {
					i++;
				}
			}
			return -1;
		}

		private boolean skipGroup() {
			int depth = 0;
			int i = this.index;
			int length = this.pattern.length();
			while (i < length) {
				char c = this.pattern.charAt(i);
				if (c == '\\') {
					i += 2;
				}
				else if (c == '[') {
					i = classEnd(i);
					if (i < 0) {
						return false;
					}
				}
				else {
					if (c == '(') {
						depth++;
					}
					else if (c == ')' && --depth == 0) {
						return atom(i + 1 - this.index);
					}
					i++;
				}
			}
			return false;
		}

		/**
		 * A quantifier of the atom before it. After literal text, the last character is kept if the quantifier
		 * needs it at least once, and dropped if it may be absent; either way the run ends there.
		 */
		private boolean quantifier() {
			char c = this.pattern.charAt(this.index);
			boolean optional = c == '?' || c == '*';
			int end = this.index + 1;
			if (c == '{') {
				int close = this.pattern.indexOf('}', end);
				if (close < 0) {
					return false;
				}
				int digits = end;
				while (digits < close && Character.isDigit(this.pattern.charAt(digits))) {
					digits++;
				}
				if (digits == end) {
					return false;
				}
				optional = Integer.parseInt(this.pattern.substring(end, Math.min(digits, end + 9))) == 0;
				end = close + 1;
			}
			if (end < this.pattern.length() && (this.pattern.charAt(end) == '?' || this.pattern.charAt(end) == '+')) {
				// lazy or possessive
				end++;
			}
			if (optional && this.run.length() > 0) {
				int last = this.run.length() - 1;
				boolean pair = last > 0 && Character.isLowSurrogate(this.run.charAt(last))
						&& Character.isHighSurrogate(this.run.charAt(last - 1));
				this.run.setLength(pair ? last - 1 : last);
			}
			endRun();
			this.index = end;
			return true;
		}

		private void endRun() {
			String text = this.run.toString();
			if (this.runAnchored) {
				if (this.alternatives != null) {
					List<String> prefixes = new ArrayList<>();
					for (String alternative : this.alternatives) {
						prefixes.add(alternative + text);
					}
					this.anchoredAlternatives = prefixes;
				}
				else {
					this.anchoredPrefix = text;
				}
				this.runAnchored = false;
			}
			if (text.length() > this.longest.length()) {
				this.longest = text;
			}
			this.run.setLength(0);
		}

	}

}
