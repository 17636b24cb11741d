package io.execra.interpret;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which rules a line's first character leaves to try, and that trying only those finds the same first match as
 * trying every rule's regex in order.
 */
class FirstCharDispatchTests {

	private static final List<String> PATTERNS = List.of("^ERROR: (.*)", "^(?:WARN|NOTE):\\s+(.*)", "progress: (\\d+)",
			"^\\d+00000$", "^=== (\\w+) ===$", "^WARNING: (.*)", "(?i)error", "done$", "^\u00e9t\u00e9", "^E");

	private static List<CompiledRule> rules(List<String> patterns) {
		List<CompiledRule> rules = new ArrayList<>();
		for (int i = 0; i < patterns.size(); i++) {
			rules.add(CompiledRule.compile(i, RuleDefinition.benign(patterns.get(i))));
		}
		return rules;
	}

	@Test
	void aRuleAnchoredOnLiteralTextIsOnlyTriedOnLinesStartingWithItsFirstCharacter() {
		FirstCharDispatch dispatch = FirstCharDispatch.of(rules(PATTERNS));
		long everyLine = bits(2, 3, 6, 7);
		assertThat(dispatch.candidates('E')).isEqualTo(everyLine | bits(0, 9));
		assertThat(dispatch.candidates('W')).isEqualTo(everyLine | bits(1, 5));
		assertThat(dispatch.candidates('N')).isEqualTo(everyLine | bits(1));
		assertThat(dispatch.candidates('=')).isEqualTo(everyLine | bits(4));
		assertThat(dispatch.candidates('4')).isEqualTo(everyLine);
		assertThat(dispatch.candidates('\u00e9')).isEqualTo(bits(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
	}

	@Test
	void tablesOfMoreThan64RulesAreNotDispatched() {
		List<String> patterns = new ArrayList<>();
		for (int i = 0; i < 65; i++) {
			patterns.add("^rule" + i);
		}
		assertThat(FirstCharDispatch.of(rules(patterns))).isNull();
	}

	@Test
	void theFirstRuleTriedThatMatchesIsTheFirstRuleWhoseRegexMatches() {
		List<CompiledRule> rules = rules(PATTERNS);
		FirstCharDispatch dispatch = FirstCharDispatch.of(rules);
		List<String> lines = List.of("ERROR: disk", "WARN: low", "NOTE:  x", "WARNING: y", "progress: 5", "1200000",
				"=== build ===", "some error here", "it is done", "\u00e9t\u00e9 done", "E", "Error", "4000000",
				"NOTE:progress: 3", "x", "\u00e9", "=== a ===\u2028");
		for (String line : lines) {
			assertThat(firstTried(rules, dispatch, line)).as(line).isEqualTo(firstMatching(rules, line));
		}
	}

	private static int firstMatching(List<CompiledRule> rules, String line) {
		for (CompiledRule rule : rules) {
			if (rule.pattern.matcher(line).find()) {
				return rule.index;
			}
		}
		return -1;
	}

	private static int firstTried(List<CompiledRule> rules, FirstCharDispatch dispatch, String line) {
		for (long candidates = dispatch.candidates(line.charAt(0)); candidates != 0; candidates &= candidates - 1) {
			CompiledRule rule = rules.get(Long.numberOfTrailingZeros(candidates));
			Matcher matcher = rule.matcher();
			if (rule.find(matcher, line)) {
				return rule.index;
			}
		}
		return -1;
	}

	private static long bits(int... indexes) {
		long bits = 0;
		for (int index : indexes) {
			bits |= 1L << index;
		}
		return bits;
	}

}
