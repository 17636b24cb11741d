package io.execra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Placeholder values are checked when a preset is rendered: the default checks every placeholder gets, and the
 * rules of the text, path and url kinds.
 */
class PlaceholderRuleTests {

	@TempDir
	Path directory;

	private static CommandTemplate template(String... args) {
		return new CommandTemplate("clone", "git", List.of(args), Map.of(), null, null, Set.of(), Duration.ofMinutes(1),
				Set.of(), null);
	}

	private static InvalidPlaceholderException rejection(CommandTemplate template, String placeholder, String value) {
		Map<String, String> parameters = new HashMap<>();
		parameters.put(placeholder, value);
		try {
			template.render(parameters);
		}
		catch (InvalidPlaceholderException ex) {
			return ex;
		}
		throw new AssertionError("value '" + value + "' of placeholder '" + placeholder + "' was accepted");
	}

	@Test
	void aValueStartingWithADashIsRejectedNamingThePresetAndThePlaceholder() {
		InvalidPlaceholderException ex = rejection(template("clone", "{url}"), "url", "--upload-pack=touch /tmp/x");
		assertThat(ex.preset()).isEqualTo("clone");
		assertThat(ex.placeholder()).isEqualTo("url");
		assertThat(ex).isInstanceOf(IllegalArgumentException.class)
			.hasMessageStartingWith("Preset 'clone', placeholder 'url': ")
			.hasMessageContaining("starts with a dash")
			.hasMessageContaining("allow-options");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\u2010x", "\u2011x", "\u2012x", "\u2013x", "\u2014x", "\u2015x", "\u2212x", "\uFE58x",
			"\uFE63x", "\uFF0Dx" })
	void aValueStartingWithAUnicodeDashIsRejected(String value) {
		assertThat(rejection(template("{name}"), "name", value)).hasMessageContaining("starts with a dash");
	}

	@Test
	void aDashInsideTheValueIsAccepted() {
		assertThat(template("{name}").render(Map.of("name", "my-file--v2")).args()).containsExactly("my-file--v2");
	}

	@Test
	void allowOptionsAcceptsALeadingDash() {
		CommandTemplate template = template("{flag}").withRule("flag", PlaceholderRule.text().allowOptions(true));
		assertThat(template.render(Map.of("flag", "--verbose")).args()).containsExactly("--verbose");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a\0b", "a\nb", "a\rb", "a\u0085b", "a\u2028b", "a\u2029b", "a\tb", "a\u001bb",
			"a\u007fb" })
	void controlCharactersAndLineBreaksAreRejected(String value) {
		assertThat(rejection(template("{name}"), "name", value)).hasMessageContaining("contains");
	}

	@Test
	void aNullValueIsAnErrorNotTheTextNull() {
		assertThat(rejection(template("{name}"), "name", null)).hasMessageContaining("the value is null");
	}

	@Test
	void aValueLongerThanTheDefaultMaximumIsRejectedAndNotEchoedInFull() {
		String huge = "a".repeat(PlaceholderRule.DEFAULT_MAX_LENGTH + 1);
		InvalidPlaceholderException ex = rejection(template("{name}"), "name", huge);
		assertThat(ex).hasMessageContaining("max-length 4096").hasMessageContaining("(4097 characters)");
		assertThat(ex.getMessage()).hasSizeLessThan(300);
		assertThat(template("{name}").render(Map.of("name", huge.substring(1))).args().get(0)).hasSize(4096);
	}

	@Test
	void aRejectedValueIsShownWithItsControlCharactersEscaped() {
		assertThat(rejection(template("{name}"), "name", "x\nFAKE LOG LINE")).hasMessageContaining("'xU+000AFAKE LOG LINE'")
			.hasMessageNotContaining("\n");
	}

	@Test
	void maxLengthBoundsTheValue() {
		CommandTemplate template = template("{name}").withRule("name", PlaceholderRule.text().maxLength(3));
		assertThat(template.render(Map.of("name", "abc")).args()).containsExactly("abc");
		assertThat(rejection(template, "name", "abcd")).hasMessageContaining("longer than max-length 3");
	}

	@Test
	void thePatternMustMatchTheWholeValue() {
		CommandTemplate template = template("{name}").withRule("name", PlaceholderRule.text().pattern("[a-z0-9-]+"));
		assertThat(template.render(Map.of("name", "release-1")).args()).containsExactly("release-1");
		assertThat(rejection(template, "name", "release 1")).hasMessageContaining("does not match the pattern '[a-z0-9-]+'");
		assertThat(rejection(template, "name", "ok;rm")).hasMessageContaining("does not match");
	}

	@Test
	void onlyAllowedValuesAreAccepted() {
		CommandTemplate template = template("{speed}").withRule("speed", PlaceholderRule.text().allowedValues("1", "2"));
		assertThat(template.render(Map.of("speed", "2")).args()).containsExactly("2");
		assertThat(rejection(template, "speed", "3")).hasMessageContaining("not one of the allowed values [1, 2]");
	}

	@Test
	void aRuleForAPlaceholderTheTemplateDoesNotUseIsAnErrorNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> template("{url}").withRule("ur1", PlaceholderRule.url()))
			.withMessageContaining("Preset 'clone' has a rule for placeholder [ur1] but does not use it");
	}

	@Test
	void theDefaultChecksApplyWhereverThePlaceholderIsUsed() {
		CommandTemplate template = new CommandTemplate("p", "true", List.of(), Map.of("X", "{value}"), null, null,
				Set.of(), null, Set.of(), null);
		assertThat(rejection(template, "value", "a\nb").placeholder()).isEqualTo("value");
	}

	@Test
	void aRelativePathIsResolvedAgainstTheFirstBaseDirectoryAndSubstitutedNormalized() throws IOException {
		Path media = Files.createDirectory(this.directory.resolve("media"));
		CommandTemplate template = template("{input}").withRule("input", PlaceholderRule.path(media));
		assertThat(template.render(Map.of("input", "clips/./a.mp4")).args())
			.containsExactly(media.resolve("clips/a.mp4").toString());
		assertThat(template.render(Map.of("input", media + "/b.mp4")).args())
			.containsExactly(media.resolve("b.mp4").toString());
	}

	@ParameterizedTest
	@ValueSource(strings = { "..", "../secret", "a/../../secret", "/etc/passwd", "./../media-other/x", "a/b/../../../x" })
	void aPathLeavingTheBaseDirectoryIsRejected(String value) throws IOException {
		Path media = Files.createDirectory(this.directory.resolve("media"));
		Files.createDirectory(this.directory.resolve("media-other"));
		CommandTemplate template = template("{input}").withRule("input", PlaceholderRule.path(media));
		assertThat(rejection(template, "input", value)).hasMessageContaining("leads outside the base directories");
	}

	@Test
	void aSymbolicLinkLeadingOutOfTheBaseDirectoryIsRejected() throws IOException {
		Path media = Files.createDirectory(this.directory.resolve("media"));
		Path outside = Files.createDirectory(this.directory.resolve("outside"));
		Files.writeString(outside.resolve("secret"), "s");
		Files.createSymbolicLink(media.resolve("escape"), outside);
		CommandTemplate template = template("{input}").withRule("input", PlaceholderRule.path(media));
		assertThat(rejection(template, "input", "escape/secret")).hasMessageContaining("outside");
		assertThat(rejection(template, "input", "escape/not-yet-there")).hasMessageContaining("outside");
	}

	@Test
	void aDanglingSymbolicLinkIsRejected() throws IOException {
		Path media = Files.createDirectory(this.directory.resolve("media"));
		Files.createSymbolicLink(media.resolve("dangling"), this.directory.resolve("outside/new-file"));
		CommandTemplate template = template("{output}").withRule("output", PlaceholderRule.path(media));
		assertThat(rejection(template, "output", "dangling")).hasMessageContaining("outside");
	}

	@Test
	void aSymbolicLinkStayingInsideTheBaseDirectoryIsAccepted() throws IOException {
		Path media = Files.createDirectory(this.directory.resolve("media"));
		Files.createDirectory(media.resolve("real"));
		Files.createSymbolicLink(media.resolve("alias"), media.resolve("real"));
		CommandTemplate template = template("{input}").withRule("input", PlaceholderRule.path(media));
		assertThat(template.render(Map.of("input", "alias/a")).args()).containsExactly(media.resolve("alias/a").toString());
	}

	@Test
	void aBaseDirectoryReachedThroughASymbolicLinkIsCompared() throws IOException {
		Path real = Files.createDirectory(this.directory.resolve("real"));
		Path link = Files.createSymbolicLink(this.directory.resolve("link"), real);
		CommandTemplate template = template("{input}").withRule("input", PlaceholderRule.path(link));
		assertThat(template.render(Map.of("input", real + "/a")).args()).containsExactly(real.resolve("a").toString());
	}

	@Test
	void anyOfSeveralBaseDirectoriesWillDo() throws IOException {
		Path in = Files.createDirectory(this.directory.resolve("in"));
		Path out = Files.createDirectory(this.directory.resolve("out"));
		CommandTemplate template = template("{file}").withRule("file", PlaceholderRule.path(in, out));
		assertThat(template.render(Map.of("file", out + "/x")).args()).containsExactly(out.resolve("x").toString());
	}

	@Test
	void mustExistRequiresAnExistingPath() throws IOException {
		Path media = Files.createDirectory(this.directory.resolve("media"));
		Files.writeString(media.resolve("a.mp4"), "x");
		CommandTemplate template = template("{input}").withRule("input", PlaceholderRule.path(media).mustExist(true));
		assertThat(template.render(Map.of("input", "a.mp4")).args()).containsExactly(media.resolve("a.mp4").toString());
		assertThat(rejection(template, "input", "b.mp4")).hasMessageContaining("does not exist");
	}

	@Test
	void mustNotExistRefusesToOverwrite() throws IOException {
		Path media = Files.createDirectory(this.directory.resolve("media"));
		Files.writeString(media.resolve("a.mp4"), "x");
		CommandTemplate template = template("{output}").withRule("output", PlaceholderRule.path(media).mustExist(false));
		assertThat(template.render(Map.of("output", "b.mp4")).args()).containsExactly(media.resolve("b.mp4").toString());
		assertThat(rejection(template, "output", "a.mp4")).hasMessageContaining("already exists");
	}

	@Test
	void aPathRuleNeedsABaseDirectory() {
		assertThatIllegalArgumentException().isThrownBy(PlaceholderRule::path)
			.withMessageContaining("'baseDirectories' must not be empty");
	}

	@Test
	void aUrlWithAnAllowedSchemeIsAccepted() {
		CommandTemplate template = template("clone", "{url}").withRule("url", PlaceholderRule.url());
		assertThat(template.render(Map.of("url", "https://example.org/repo.git")).args())
			.containsExactly("clone", "https://example.org/repo.git");
	}

	@ParameterizedTest
	@ValueSource(strings = { "file:///etc/passwd", "ext::sh -c touch% /tmp/pwned", "ssh://example.org/repo",
			"javascript:alert(1)", "example.org/repo", "relative/path", "https://user:pw@example.org/repo",
			"https://example.org@evil.test/repo", "http://exa mple.org/" })
	void aUrlWithoutAnAllowedSchemeOrWithUserInformationIsRejected(String value) {
		CommandTemplate template = template("clone", "{url}").withRule("url", PlaceholderRule.url());
		assertThat(rejection(template, "url", value).placeholder()).isEqualTo("url");
	}

	@Test
	void hostsAndSchemesNarrowTheUrl() {
		CommandTemplate template = template("clone", "{url}").withRule("url",
				PlaceholderRule.url().schemes("https").hosts("Git.Example.org"));
		assertThat(template.render(Map.of("url", "HTTPS://git.example.ORG/a.git")).args())
			.containsExactly("clone", "HTTPS://git.example.ORG/a.git");
		assertThat(rejection(template, "url", "https://evil.test/a.git")).hasMessageContaining("host");
		assertThat(rejection(template, "url", "http://git.example.org/a.git")).hasMessageContaining("scheme 'http'");
	}

	@Test
	void kindSpecificSettingsAreRefusedOnOtherKinds() {
		assertThatIllegalArgumentException().isThrownBy(() -> PlaceholderRule.text().hosts("a"))
			.withMessageContaining("'hosts' applies to url placeholders");
		assertThatIllegalArgumentException().isThrownBy(() -> PlaceholderRule.url().mustExist(true))
			.withMessageContaining("'mustExist' applies to path placeholders");
	}

	@Test
	void rulesAreValues() {
		assertThat(PlaceholderRule.text().pattern("a+")).isEqualTo(PlaceholderRule.text().pattern("a+"))
			.hasSameHashCodeAs(PlaceholderRule.text().pattern("a+"))
			.isNotEqualTo(PlaceholderRule.text().pattern("b+"));
		assertThat(template("{a}").withRule("a", PlaceholderRule.url()))
			.isEqualTo(template("{a}").withRule("a", PlaceholderRule.url()));
	}

	@Test
	void theExistingConstructorsHaveNoRules() {
		assertThat(template("{a}").placeholderRules()).isEmpty();
		assertThatExceptionOfType(InvalidPlaceholderException.class)
			.isThrownBy(() -> template("{a}").render(Map.of("a", "-x")));
	}

}
