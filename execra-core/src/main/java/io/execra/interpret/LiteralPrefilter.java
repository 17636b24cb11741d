package io.execra.interpret;

import org.jspecify.annotations.Nullable;

/**
 * A cheap test that rules a line out before its rule's regex runs: the literal text every match must contain,
 * found by reading the pattern. A pattern anchored with {@code ^} and starting with literal text needs a line that
 * starts with it; otherwise the longest literal run of the pattern's top level (outside groups, classes and
 * alternations) must occur in the line. Most lines of a tool's output match no rule, so for most rules a line is
 * then turned down by one {@code startsWith} or {@code indexOf} instead of a regex search.
 * <p>
 * The reading is conservative: a pattern with top-level alternation, inline flags (such as {@code (?i)}), quoting
 * ({@code \Q}), back references, escapes other than the common classes and escaped punctuation, or nested character
 * classes gets no prefilter, so the prefilter never turns down a line the regex would match. Immutable.
 */
final class LiteralPrefilter {

	private final String literal;

	private final boolean prefix;

	private LiteralPrefilter(String literal, boolean prefix) {
		this.literal = literal;
		this.prefix = prefix;
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
		return this.prefix ? text.startsWith(this.literal) : text.contains(this.literal);
	}

	@Override
	public String toString() {
		return (this.prefix ? "startsWith " : "contains ") + this.literal;
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
					case '(' -> skipGroup();
					case '|', ')' -> false;
					case '?', '*', '+', '{' -> quantifier();
					case '.', '^', '$' -> atom(1);
					default -> literal(c);
				};
				if (!understood) {
					return null;
				}
			}
			endRun();
			if (this.anchoredPrefix != null && !this.anchoredPrefix.isEmpty()) {
				return new LiteralPrefilter(this.anchoredPrefix, true);
			}
			return this.longest.isEmpty() ? null : new LiteralPrefilter(this.longest, false);
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
				this.anchoredPrefix = text;
				this.runAnchored = false;
			}
			if (text.length() > this.longest.length()) {
				this.longest = text;
			}
			this.run.setLength(0);
		}

	}

}
