package io.execra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Hundreds of generated hostile values, each rejected by the placeholder checks, beside generated harmless values
 * that are accepted unchanged. The generator is seeded, so a failure can be replayed.
 */
class HostilePlaceholderValueTests {

	private static final long SEED = 18L;

	private static final String DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D";

	private static final String FORBIDDEN = "\0\n\r\u0085\u2028\u2029\t\u0001\u001b\u007f\u009b";

	private static final String HARMLESS = "abcXYZ019 ._~+=,:@%'\"$(){}[]*?;&|<>!#äöü漢字🙂";

	@TempDir
	static Path directory;

	static Path media;

	@BeforeAll
	static void createBaseDirectory() throws IOException {
		media = Files.createDirectory(directory.resolve("media"));
		Path outside = Files.createDirectory(directory.resolve("outside"));
		Files.createSymbolicLink(media.resolve("up"), directory);
		Files.createSymbolicLink(media.resolve("out"), outside);
		Files.createSymbolicLink(media.resolve("dangling"), outside.resolve("later"));
		Files.createSymbolicLink(media.resolve("root"), Path.of("/"));
	}

	static Stream<Arguments> hostileTextValues() {
		Random random = new Random(SEED);
		List<Arguments> values = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			char dash = DASHES.charAt(random.nextInt(DASHES.length()));
			values.add(Arguments.of("leading dash", dash + harmless(random, 0, 20)));
		}
		for (int i = 0; i < 200; i++) {
			String text = harmless(random, 0, 20);
			int at = random.nextInt(text.length() + 1);
			char bad = FORBIDDEN.charAt(random.nextInt(FORBIDDEN.length()));
			values.add(Arguments.of("control character", text.substring(0, at) + bad + text.substring(at)));
		}
		for (int i = 0; i < 20; i++) {
			values.add(Arguments.of("too long", harmless(random, 4097, 4200)));
		}
		return values.stream();
	}

	static Stream<Arguments> hostilePaths() {
		Random random = new Random(SEED + 1);
		List<String> escapes = List.of("..", "up/outside", "out", "dangling", "root/etc/passwd", "/etc/passwd",
				"/", "../outside/x", "up/media/../outside", "out/new", "root");
		List<Arguments> values = new ArrayList<>();
		for (int i = 0; i < 150; i++) {
			StringBuilder path = new StringBuilder();
			String escape = escapes.get(random.nextInt(escapes.size()));
			// a wander inside first; an absolute path after it would become relative ("sub/..//etc" is inside)
			int inside = escape.startsWith("/") ? 0 : random.nextInt(3);
			for (int j = 0; j < inside; j++) {
				path.append(random.nextBoolean() ? "sub/" : "./");
			}
			for (int j = 0; j < inside; j++) {
				path.append("../");
			}
			path.append(escape);
			if (random.nextBoolean()) {
				path.append('/').append(harmless(random, 1, 8).replace('/', '_').replace("\0", ""));
			}
			values.add(Arguments.of(path.toString()));
		}
		return values.stream();
	}

	static Stream<Arguments> hostileUrls() {
		Random random = new Random(SEED + 2);
		List<String> bad = List.of("file:///etc/passwd", "ext::sh -c touch% /tmp/pwned", "ext::sh", "fd::17",
				"ssh://example.org/x", "git://example.org/x", "javascript:alert(1)", "data:text/plain,x",
				"ftp://example.org/x", "gopher://example.org/", "jar:file:/x!/", "//example.org/x", "example.org/x",
				"https://user@example.org/x", "https://u:p@example.org/x", "https://example.org%40evil.test@evil.test/",
				"https://evil.test/x", "http://example.org.evil.test/x", "https://example.org:99999999999/",
				"https://exa mple.org/", "https://[::1/");
		List<Arguments> values = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			String url = bad.get(random.nextInt(bad.size()));
			values.add(Arguments.of(random.nextBoolean() ? url : url.toUpperCase()));
		}
		return values.stream();
	}

	static Stream<Arguments> harmlessValues() {
		Random random = new Random(SEED + 3);
		List<Arguments> values = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			String value = harmless(random, 0, 40);
			values.add(Arguments.of(DASHES.indexOf(value.isEmpty() ? 'a' : value.charAt(0)) >= 0 ? "x" + value : value));
		}
		return values.stream();
	}

	private static String harmless(Random random, int min, int max) {
		int length = min + random.nextInt(max - min + 1);
		StringBuilder text = new StringBuilder(length);
		while (text.length() < length) {
			text.appendCodePoint(HARMLESS.codePointAt(HARMLESS.offsetByCodePoints(0,
					random.nextInt(HARMLESS.codePointCount(0, HARMLESS.length())))));
		}
		return (text.length() > max) ? text.substring(0, max - 1) + "x" : text.toString();
	}

	private static CommandTemplate template(PlaceholderRule rule) {
		return new CommandTemplate("hostile", "true", List.of("{value}"), Map.of(), null, null, Set.of(), null,
				Set.of(), null).withRule("value", rule);
	}

	private static void assertRejected(CommandTemplate template, String value) {
		Map<String, String> parameters = new HashMap<>();
		parameters.put("value", value);
		assertThatExceptionOfType(InvalidPlaceholderException.class).as("value '%s'", value)
			.isThrownBy(() -> template.render(parameters))
			.satisfies((ex) -> {
				assertThat(ex.preset()).isEqualTo("hostile");
				assertThat(ex.placeholder()).isEqualTo("value");
				assertThat(ex.getMessage()).doesNotContain("\n", "\r", "\0").hasSizeLessThan(400);
			});
	}

	@ParameterizedTest(name = "{0} [{index}]")
	@MethodSource("hostileTextValues")
	void hostileTextIsRejected(String what, String value) {
		assertRejected(template(PlaceholderRule.text()), value);
		assertRejected(template(PlaceholderRule.path(media)), value);
		assertRejected(template(PlaceholderRule.url().schemes("https", "file", "ext")), value);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostilePaths")
	void pathsLeavingTheBaseDirectoryAreRejected(String value) {
		assertRejected(template(PlaceholderRule.path(media)), value);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileUrls")
	void urlsOutsideTheAllowedSchemesAndHostsAreRejected(String value) {
		assertRejected(template(PlaceholderRule.url().hosts("example.org")), value);
	}

	@ParameterizedTest
	@MethodSource("harmlessValues")
	void harmlessTextIsAcceptedUnchanged(String value) {
		assertThat(template(PlaceholderRule.text()).render(Map.of("value", value)).args()).containsExactly(value);
	}

}
