package io.execra.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.execra.ExecraRuntime;
import io.execra.InvalidPlaceholderException;
import io.execra.JobRejectedException;
import io.execra.Outcome;
import io.execra.PlaceholderRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@code execra.commands.<name>.placeholders.*}: rules bound from properties reach the preset, values they
 * reject start and record nothing, and a rule that cannot be used fails the start naming its property.
 */
class ExecraPlaceholderPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ExecraAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void textRulesAreMappedToThePreset() {
		this.contextRunner
			.withPropertyValues("execra.commands.tag.program=git", "execra.commands.tag.args=tag,{name},{mode}",
					"execra.commands.tag.placeholders.name.pattern=[a-z0-9-]+",
					"execra.commands.tag.placeholders.name.max-length=200",
					"execra.commands.tag.placeholders.mode.allowed-values=--annotate,--sign",
					"execra.commands.tag.placeholders.mode.allow-options=true")
			.run((context) -> {
				Map<String, PlaceholderRule> rules = context.getBean(ExecraRuntime.class)
					.presets()
					.get("tag")
					.placeholderRules();
				assertThat(rules).containsOnlyKeys("name", "mode");
				assertThat(rules.get("name")).isEqualTo(PlaceholderRule.text().pattern("[a-z0-9-]+").maxLength(200));
				assertThat(rules.get("mode"))
					.isEqualTo(PlaceholderRule.text().allowedValues("--annotate", "--sign").allowOptions(true));
			});
	}

	@Test
	void pathAndUrlRulesAreMappedToThePreset() {
		this.contextRunner
			.withPropertyValues("execra.commands.fetch.program=curl", "execra.commands.fetch.args=-o,{out},{url}",
					"execra.commands.fetch.placeholders.out.kind=path",
					"execra.commands.fetch.placeholders.out.base-directories=" + this.directory,
					"execra.commands.fetch.placeholders.out.must-exist=false",
					"execra.commands.fetch.placeholders.url.kind=url",
					"execra.commands.fetch.placeholders.url.schemes=https",
					"execra.commands.fetch.placeholders.url.hosts=example.org")
			.run((context) -> {
				Map<String, PlaceholderRule> rules = context.getBean(ExecraRuntime.class)
					.presets()
					.get("fetch")
					.placeholderRules();
				assertThat(rules.get("out")).isEqualTo(PlaceholderRule.path(this.directory).mustExist(false));
				assertThat(rules.get("url")).isEqualTo(PlaceholderRule.url().schemes("https").hosts("example.org"));
			});
	}

	@Test
	void theDefaultsOfThePropertiesAreThoseOfTheCore() {
		ExecraPlaceholderProperties properties = new ExecraPlaceholderProperties();
		assertThat(properties.getKind()).isEqualTo(PlaceholderRule.text().kind());
		assertThat(properties.getMaxLength()).isEqualTo(PlaceholderRule.text().maxLength());
		assertThat(properties.isAllowOptions()).isEqualTo(PlaceholderRule.text().allowOptions());
		assertThat(properties.getSchemes()).containsExactlyInAnyOrderElementsOf(PlaceholderRule.url().schemes());
		assertThat(properties.getHosts()).isEqualTo(PlaceholderRule.url().hosts().stream().toList());
		assertThat(properties.getMustExist()).isNull();
	}

	@Test
	void aValueEscapingTheBaseDirectoryStartsAndRecordsNothing() throws IOException {
		Path media = Files.createDirectory(this.directory.resolve("media"));
		this.contextRunner
			.withPropertyValues("execra.commands.create.program=touch", "execra.commands.create.args={output}",
					"execra.commands.create.cwd=" + media,
					"execra.commands.create.placeholders.output.kind=path",
					"execra.commands.create.placeholders.output.base-directories=" + media)
			.run((context) -> {
				ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
				assertThatExceptionOfType(InvalidPlaceholderException.class)
					.isThrownBy(() -> runtime.spawn("create", Map.of("output", "../escaped")))
					.satisfies((ex) -> assertThat(ex.preset()).isEqualTo("create"))
					.satisfies((ex) -> assertThat(ex.placeholder()).isEqualTo("output"));
				assertThat(runtime.recent(10)).isEmpty();
				assertThat(runtime.jobs().list()).isEmpty();
			});
		assertThat(this.directory.resolve("escaped")).doesNotExist();
	}

	@Test
	void anOptionInAValueIsRejectedByDefault() {
		Path marker = this.directory.resolve("marker");
		this.contextRunner
			.withPropertyValues("execra.commands.mark.program=touch", "execra.commands.mark.args=" + marker + ",{file}")
			.run((context) -> {
				ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
				assertThatExceptionOfType(InvalidPlaceholderException.class)
					.isThrownBy(() -> runtime.spawn("mark", Map.of("file", "-a")))
					.withMessageContaining("Preset 'mark', placeholder 'file'");
				assertThat(runtime.recent(10)).isEmpty();
			});
		assertThat(marker).doesNotExist();
	}

	@Test
	void anInvalidPatternFailsTheStartNamingTheProperty() {
		assertStartFails("'execra.commands.tag.placeholders.name.pattern'", "not a valid regular expression",
				"execra.commands.tag.program=git", "execra.commands.tag.args={name}",
				"execra.commands.tag.placeholders.name.pattern=[a-");
	}

	@Test
	void aRuleForAnUnusedPlaceholderFailsTheStartNamingIt() {
		assertStartFails("'execra.commands.tag.placeholders.nmae'", "has no placeholder {nmae}",
				"execra.commands.tag.program=git", "execra.commands.tag.args={name}",
				"execra.commands.tag.placeholders.nmae.pattern=[a-z]+");
	}

	@Test
	void aPathRuleWithoutBaseDirectoriesFailsTheStart() {
		assertStartFails("'execra.commands.play.placeholders.input.base-directories'", "at least one base directory",
				"execra.commands.play.program=ffplay", "execra.commands.play.args={input}",
				"execra.commands.play.placeholders.input.kind=path");
	}

	@Test
	void aUrlSettingOnATextRuleFailsTheStart() {
		assertStartFails("'execra.commands.tag.placeholders.name.hosts'", "applies only to kind url",
				"execra.commands.tag.program=git", "execra.commands.tag.args={name}",
				"execra.commands.tag.placeholders.name.hosts=example.org");
	}

	@Test
	void aNonPositiveMaxLengthFailsTheStart() {
		assertStartFails("'execra.commands.tag.placeholders.name.max-length'", "must be positive",
				"execra.commands.tag.program=git", "execra.commands.tag.args={name}",
				"execra.commands.tag.placeholders.name.max-length=0");
	}

	@Test
	void aPresetRunningAShellIsRefusedUnlessTheShellIsAnAllowedProgram() {
		this.contextRunner
			.withPropertyValues("execra.commands.build.program=sh", "execra.commands.build.args=-c,echo {project}")
			.run((context) -> {
				ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
				assertThatExceptionOfType(JobRejectedException.class)
					.isThrownBy(() -> runtime.spawn("build", Map.of("project", "demo")))
					.withMessageContaining("program 'sh' is a shell")
					.withMessageContaining("allow-shell is false");
				assertThat(runtime.recent(10)).isEmpty();
			});
		this.contextRunner
			.withPropertyValues("execra.security.allowed-programs=sh", "execra.commands.build.program=sh",
					"execra.commands.build.args=-c,echo {project}")
			.run((context) -> assertThat(
					context.getBean(ExecraRuntime.class).spawn("build", Map.of("project", "demo")).await())
				.isInstanceOf(Outcome.Succeeded.class));
	}

	private void assertStartFails(String property, String reason, String... properties) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			while (failure != null && !(failure instanceof InvalidExecraPropertyException)) {
				failure = failure.getCause();
			}
			assertThat(failure).as("an InvalidExecraPropertyException behind %s", context.getStartupFailure())
				.isNotNull()
				.hasMessageContaining(property)
				.hasMessageContaining(reason);
		});
	}

}
