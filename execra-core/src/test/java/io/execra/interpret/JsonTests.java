package io.execra.interpret;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The internal JSON parser: values, escapes, and rejection of malformed input.
 */
class JsonTests {

	@Test
	void parsesNestedValues() {
		Object value = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"d\"}, \"a2\": {}} ");
		assertThat(value).isEqualTo(Map.of("a", Arrays.asList(new BigDecimal("1"), new BigDecimal("-2.5e3"), true,
				false, null), "b", Map.of("c", "d"), "a2", Map.of()));
	}

	@Test
	void decodesEscapesAndSurrogatePairs() {
		assertThat(Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00\""))
			.isEqualTo("q\" b\\ s/ \b\f\n\r\t é 😀");
	}

	@Test
	void laterDuplicateKeyWins() {
		assertThat(Json.parse("{\"k\":1,\"k\":2}")).isEqualTo(Map.of("k", new BigDecimal("2")));
	}

	@Test
	void emptyArray() {
		assertThat(Json.parse("[ ]")).isEqualTo(List.of());
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "{", "{\"a\"}", "{\"a\":1,}", "[1,]", "01", "1.", "-", "1e", "tru", "\"abc",
			"\"a\\x\"", "\"\\u12\"", "{a:1}", "{\"a\":1} x", "\"tab\there\"", "[1 2]", "nul" })
	void rejectsMalformedInput(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parse(text)).withMessageStartingWith("Invalid JSON at offset");
	}

	@Test
	void limitsNesting() {
		String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parse(deep)).withMessageContaining("nesting");
		String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
		assertThat(Json.parse(ok)).isInstanceOf(List.class);
	}

}
