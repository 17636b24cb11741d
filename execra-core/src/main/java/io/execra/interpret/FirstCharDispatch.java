package io.execra.interpret;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Which rules a line can match, told by its first character: a rule whose pattern must start with literal text
 * ({@code ^ERROR:}, {@code ^(?:ERROR|FATAL):}) is only tried on lines that start with the first character of that
 * text; every other rule is tried on every line. One look-up per line then leaves, for most lines of a tool's output,
 * only the few rules that can match at all, in their order. Tables of more than 64 rules are not dispatched.
 * Immutable.
 */
final class FirstCharDispatch {

	/** Characters below this have a slot of their own; the others share the last slot. */
	private static final int ASCII = 128;

	/** The rules (as bits, by index) each first character can match; the last slot for any other character. */
	private final long[] candidates;

	private FirstCharDispatch(long[] candidates) {
		this.candidates = candidates;
	}

	/**
	 * The dispatch of a rule table.
	 * @param rules the rules, in order
	 * @return the dispatch, or {@code null} for a table of more than 64 rules
	 */
	static @Nullable FirstCharDispatch of(List<CompiledRule> rules) {
		if (rules.size() > Long.SIZE) {
			return null;
		}
		long[] candidates = new long[ASCII + 1];
		for (int i = 0; i < rules.size(); i++) {
			long bit = 1L << i;
			char @Nullable [] firsts = rules.get(i).requiredFirstChars();
			for (int c = 0; c <= ASCII; c++) {
				if (firsts == null || c == ASCII || contains(firsts, (char) c)) {
					candidates[c] |= bit;
				}
			}
		}
		return new FirstCharDispatch(candidates);
	}

	private static boolean contains(char[] chars, char c) {
		for (char each : chars) {
			if (each == c) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The rules a line can match.
	 * @param first the line's first character
	 * @return a bit per rule index, set where the rule must be tried
	 */
	long candidates(char first) {
		return this.candidates[Math.min(first, ASCII)];
	}

}
