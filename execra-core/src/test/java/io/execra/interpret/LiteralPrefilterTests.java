package io.execra.interpret;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link LiteralPrefilter} reads from patterns, and that it never turns down a line the regex matches.
 */
class LiteralPrefilterTests {

	private static final List<String> LINES = List.of("", "a", "ab", "abc", "abbc", "ac", "xabcx", "ERROR: disk full",
			"FATAL: no", "WARN: low", "WARNING: low", "progress: 3/10", "=== build ===", "1200000", "1000001",
			"Downloading x.tar", "ok fine", "disk low", "a]b", "a}b", "a.b", "a+b", "WARN:", "x\u00e9y", "\ud83d\ude00x",
			"x", "total 5", "E42: boom", "  Release notes:  ", "a\\b", "a(b", "Step 3", "(a)", "ab\nc", "AB", "done",
			"is done\u2028", "done\r\n", "undone\r", "done\n\n", "ERRORFATAL: x", "FATALERROR:", "bc\u0085", "1200000\n");

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
			^ERROR: (.*) => "startsWith ERROR: "
			^WARN(?:ING)?:\\s+(.*) => startsWith WARN
			^(?:ERROR|FATAL):\\s+(.*) => "startsWith ERROR:|FATAL:"
			^(ERROR|FATAL)+: => startsWith ERROR|FATAL
			^(?:ERROR|FATAL)?: => contains :
			^(a|b) => startsWith a|b
			done$ => endsWith done
			foo.*bar$ => endsWith bar
			progress: (\\d+)/(\\d+) => "contains progress: "
			^=== (\\w+) ===$ => "startsWith === "
			^\\d+00000$ => endsWith 00000
			ab?c => contains a
			^ab?c => startsWith a
			ab+c => contains ab
			ab{0,3}cd => contains cd
			ab{2}c => contains ab
			a\\.b => contains a.b
			[abc]+xyz[d] => contains xyz
			a]b => contains a]b
			(?<name>x)yz => contains yz
			\\bdisk\\b => contains disk
			x\u00e9?y => contains x
			""")
	void readsTheLiteralEveryMatchNeeds(String pattern, String expected) {
		assertThat(LiteralPrefilter.of(pattern)).hasToString(expected);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "a|b", "(?i)error", "err(?i)or", "\\Qa.b\\E", "(a)\\1", "\\x41b", "\\p{Alpha}+",
			"[a[b]]c", "\\tab", ".*", "\\d+", "(abc)", "^(a|)", "^(?:a|b.)", "^(?=a)", "x?", "\\\\(?i)abc" })
	void readsNothingFromPatternsItDoesNotUnderstandOrWithoutLiterals(String pattern) {
		assertThat(LiteralPrefilter.of(pattern)).isNull();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "^ERROR: (.*)", "^WARN(?:ING)?:\\s+(.*)", "^(?:ERROR|FATAL):\\s+(.*)",
			"progress: (\\d+)/(\\d+)", "^=== (\\w+) ===$", "^\\d+00000$", "ab?c", "^ab?c", "ab+c", "ab{0,3}c",
			"ab{2}c", "a\\.b", "[abc]+b[c]", "a]b", "a}b", "(?<n>a)b", "\\bdisk\\b", "x\u00e9?y", "\ud83d\ude00?x",
			"a*+b", "a??b", "[]a]b", "[^]a]b", "a\\+b", "a\\\\b", "a\\(b", "(?:a|b)c", "(?=ab)abc", "(?!x)ab",
			"a[(]b", "c$", "\\AStep", "^Step (\\d+)", "^\\s*$", "ab\\Rc", "(a)+\\)?", "^(ERROR|FATAL)+:",
			"^(?:a|b)c", "done$", "^(?:ERROR|FATAL)?:", "b$", "^(a|b)", "^(?:ERROR|FATAL):", "bc$", "0$", "^1\\d+0$" })
	void neverTurnsDownALineTheRegexMatches(String pattern) {
		Pattern compiled = Pattern.compile(pattern);
		LiteralPrefilter prefilter = LiteralPrefilter.of(pattern);
		for (String line : LINES) {
			if (compiled.matcher(line).find()) {
				assertThat(prefilter == null || prefilter.mayMatch(line)).as("'%s' on '%s' (%s)", pattern, line, prefilter)
					.isTrue();
			}
			if (prefilter != null) {
				// a text that is not a string (a line seen without decoding it) gets the same answer
				assertThat(prefilter.mayMatch(new StringBuilder(line))).as("'%s' on '%s' as text", pattern, line)
					.isEqualTo(prefilter.mayMatch(line));
			}
		}
	}

}
