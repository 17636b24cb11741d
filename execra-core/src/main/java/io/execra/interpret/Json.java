package io.execra.interpret;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A small, strict JSON parser (RFC 8259) for one document: objects become {@code Map<String, Object>} (in order,
 * a later duplicate key wins), arrays {@code List<Object>}, strings {@code String}, numbers {@link BigDecimal},
 * {@code true}/{@code false} {@code Boolean}, and {@code null} a {@code null} value. Nesting is limited so that
 * hostile input cannot overflow the stack. Execra's core has no JSON library, hence this class.
 */
final class Json {

	/** Deepest nesting of objects and arrays accepted. */
	static final int MAX_DEPTH = 64;

	private final String text;

	private int pos;

	private Json(String text) {
		this.text = text;
	}

	/**
	 * Parses a whole document; whitespace around the value is allowed, anything else after it is not.
	 * @param text the JSON text
	 * @return the value
	 * @throws IllegalArgumentException with the offset if the text is not valid JSON
	 */
	static @Nullable Object parse(String text) {
		Json parser = new Json(text);
		parser.skipWhitespace();
		Object value = parser.value(0);
		parser.skipWhitespace();
		if (parser.pos != text.length()) {
			throw parser.error("unexpected text after the value");
		}
		return value;
	}

	private @Nullable Object value(int depth) {
		if (this.pos >= this.text.length()) {
			throw error("unexpected end of input");
		}
		char c = this.text.charAt(this.pos);
		return switch (c) {
			case '{' -> object(depth + 1);
			case '[' -> array(depth + 1);
			case '"' -> string();
			case 't' -> literal("true", Boolean.TRUE);
			case 'f' -> literal("false", Boolean.FALSE);
			case 'n' -> literal("null", null);
			default -> {
				if (c == '-' || (c >= '0' && c <= '9')) {
					yield number();
				}
				throw error("unexpected character '" + c + "'");
			}
		};
	}

	private Map<String, @Nullable Object> object(int depth) {
		checkDepth(depth);
		this.pos++;
		Map<String, @Nullable Object> result = new LinkedHashMap<>();
		skipWhitespace();
		if (peek() == '}') {
			this.pos++;
			return Collections.unmodifiableMap(result);
		}
		while (true) {
			skipWhitespace();
			if (peek() != '"') {
				throw error("expected a string key");
			}
			String key = string();
			skipWhitespace();
			expect(':');
			skipWhitespace();
			result.put(key, value(depth));
			skipWhitespace();
			char next = next("',' or '}'");
			if (next == '}') {
				return Collections.unmodifiableMap(result);
			}
			if (next != ',') {
				this.pos--;
				throw error("expected ',' or '}'");
			}
		}
	}

	private List<@Nullable Object> array(int depth) {
		checkDepth(depth);
		this.pos++;
		List<@Nullable Object> result = new ArrayList<>();
		skipWhitespace();
		if (peek() == ']') {
			this.pos++;
			return Collections.unmodifiableList(result);
		}
		while (true) {
			skipWhitespace();
			result.add(value(depth));
			skipWhitespace();
			char next = next("',' or ']'");
			if (next == ']') {
				return Collections.unmodifiableList(result);
			}
			if (next != ',') {
				this.pos--;
				throw error("expected ',' or ']'");
			}
		}
	}

	private String string() {
		this.pos++;
		StringBuilder out = new StringBuilder();
		while (true) {
			char c = next("'\"'");
			if (c == '"') {
				return out.toString();
			}
			if (c < 0x20) {
				this.pos--;
				throw error("unescaped control character in a string");
			}
			if (c != '\\') {
				out.append(c);
				continue;
			}
			char escape = next("an escape");
			switch (escape) {
				case '"', '\\', '/' -> out.append(escape);
				case 'b' -> out.append('\b');
				case 'f' -> out.append('\f');
				case 'n' -> out.append('\n');
				case 'r' -> out.append('\r');
				case 't' -> out.append('\t');
				case 'u' -> out.append(hex4());
				default -> {
					this.pos--;
					throw error("invalid escape '\\" + escape + "'");
				}
			}
		}
	}

	private char hex4() {
		if (this.pos + 4 > this.text.length()) {
			throw error("truncated \\u escape");
		}
		int value = 0;
		for (int i = 0; i < 4; i++) {
			int digit = Character.digit(this.text.charAt(this.pos + i), 16);
			if (digit < 0) {
				throw error("invalid \\u escape");
			}
			value = value * 16 + digit;
		}
		this.pos += 4;
		// surrogate pairs arrive as two escapes and are appended one char at a time, which rebuilds them
		return (char) value;
	}

	private BigDecimal number() {
		int start = this.pos;
		if (peek() == '-') {
			this.pos++;
		}
		if (peek() == '0') {
			this.pos++;
		}
		else if (!digits()) {
			throw error("invalid number");
		}
		if (peek() == '.') {
			this.pos++;
			if (!digits()) {
				throw error("invalid number: no digit after '.'");
			}
		}
		if (peek() == 'e' || peek() == 'E') {
			this.pos++;
			if (peek() == '+' || peek() == '-') {
				this.pos++;
			}
			if (!digits()) {
				throw error("invalid number: no digit in the exponent");
			}
		}
		try {
			return new BigDecimal(this.text.substring(start, this.pos));
		}
		catch (NumberFormatException ex) {
			throw error("invalid number");
		}
	}

	private boolean digits() {
		int start = this.pos;
		while (this.pos < this.text.length() && this.text.charAt(this.pos) >= '0' && this.text.charAt(this.pos) <= '9') {
			this.pos++;
		}
		return this.pos > start;
	}

	private @Nullable Object literal(String word, @Nullable Object value) {
		if (!this.text.startsWith(word, this.pos)) {
			throw error("invalid literal");
		}
		this.pos += word.length();
		return value;
	}

	private void checkDepth(int depth) {
		if (depth > MAX_DEPTH) {
			throw error("nesting deeper than " + MAX_DEPTH);
		}
	}

	private void skipWhitespace() {
		while (this.pos < this.text.length()) {
			char c = this.text.charAt(this.pos);
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
				return;
			}
			this.pos++;
		}
	}

	private char peek() {
		return (this.pos < this.text.length()) ? this.text.charAt(this.pos) : '\0';
	}

	private char next(String expected) {
		if (this.pos >= this.text.length()) {
			throw error("unexpected end of input, expected " + expected);
		}
		return this.text.charAt(this.pos++);
	}

	private void expect(char c) {
		if (next("'" + c + "'") != c) {
			this.pos--;
			throw error("expected '" + c + "'");
		}
	}

	private IllegalArgumentException error(String message) {
		return new IllegalArgumentException("Invalid JSON at offset " + this.pos + ": " + message);
	}

}
