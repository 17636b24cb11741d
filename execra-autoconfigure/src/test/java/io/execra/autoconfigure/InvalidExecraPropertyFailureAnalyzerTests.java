package io.execra.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for bad {@code execra.*} configuration: startup fails, and {@link InvalidExecraPropertyFailureAnalyzer}
 * names the property.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidExecraPropertyFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ExecraAutoConfiguration.class));

	@Test
	void invalidRedactPatternNamesTheProperty() {
		assertThat(analyze("execra.security.redact-patterns[0]=token=\\w+", "execra.security.redact-patterns[1]=(open"))
			.contains("'execra.security.redact-patterns[1]'")
			.contains("Value: (open")
			.contains("not a valid regular expression");
	}

	@Test
	void invalidRedactPatternOfNamedRuntimeNamesItsProperty() {
		assertThat(analyze("execra.runtimes.media.security.redact-patterns[0]=[a-"))
			.contains("'execra.runtimes.media.security.redact-patterns[0]'");
	}

	@Test
	void negativeQueueCapacityNamesTheProperty() {
		assertThat(analyze("execra.queue-capacity=-1")).contains("'execra.queue-capacity'")
			.contains("must be at least 0");
	}

	@Test
	void zeroMaxConcurrentOfNamedRuntimeNamesItsProperty() {
		assertThat(analyze("execra.runtimes.media.max-concurrent=0"))
			.contains("'execra.runtimes.media.max-concurrent'");
	}

	@Test
	void negativeDurationNamesTheProperty() {
		assertThat(analyze("execra.cancel-grace-period=-1s")).contains("'execra.cancel-grace-period'")
			.contains("must not be negative");
	}

	@Test
	void negativeSizeNamesTheProperty() {
		assertThat(analyze("execra.output-limit.max-size=-1KB")).contains("'execra.output-limit.max-size'");
	}

	@Test
	void rawOutputDirectoryThatCannotBeCreatedNamesTheProperty(@TempDir Path temp) throws IOException {
		Path file = Files.writeString(temp.resolve("a-file"), "not a directory");
		assertThat(analyze("execra.raw-output.policy=file", "execra.raw-output.directory=" + file.resolve("logs")))
			.contains("'execra.raw-output.directory'")
			.contains("cannot be created");
	}

	@Test
	void rawOutputDirectoryThatIsAFileNamesTheProperty(@TempDir Path temp) throws IOException {
		Path file = Files.writeString(temp.resolve("a-file"), "not a directory");
		assertThat(analyze("execra.raw-output.policy=file", "execra.raw-output.directory=" + file))
			.contains("'execra.raw-output.directory'");
	}

	@Test
	void rawOutputFilePolicyWithoutDirectoryNamesTheDirectoryProperty() {
		assertThat(analyze("execra.raw-output.policy=file")).contains("'execra.raw-output.directory'")
			.contains("required");
	}

	@Test
	void presetForUnknownRuntimeNamesTheProperty() {
		assertThat(analyze("execra.runtimes.media.max-concurrent=1", "execra.commands.lint.program=eslint",
				"execra.commands.lint.runtime=linters"))
			.contains("'execra.commands.lint.runtime'")
			.contains("Value: linters")
			.contains("[media]");
	}

	@Test
	void presetWithUnknownInterpreterNamesTheProperty() {
		assertThat(analyze("execra.commands.lint.program=eslint", "execra.commands.lint.interpreter=no-such"))
			.contains("'execra.commands.lint.interpreter'")
			.contains("Value: no-such");
	}

	@Test
	void presetWithInvalidPlaceholderSyntaxNamesTheArgument() {
		assertThat(analyze("execra.commands.copy.program=cp", "execra.commands.copy.args[0]={from}",
				"execra.commands.copy.args[1]={to file}"))
			.contains("'execra.commands.copy.args[1]'")
			.contains("invalid placeholder");
	}

	@Test
	void presetWithUnbalancedBraceNamesTheArgument() {
		assertThat(analyze("execra.commands.copy.program=cp", "execra.commands.copy.args[0]={from"))
			.contains("'execra.commands.copy.args[0]'");
	}

	@Test
	void presetWithoutProgramNamesTheProperty() {
		assertThat(analyze("execra.commands.copy.args[0]={from}")).contains("'execra.commands.copy.program'");
	}

	@Test
	void runtimeNamedDefaultIsRejected() {
		assertThat(analyze("execra.runtimes.default.max-concurrent=1")).contains("'execra.runtimes.default'")
			.contains("reserved");
	}

	@Test
	void analysisShowsWhereThePropertyWasSet() {
		MockEnvironment environment = new MockEnvironment().withProperty("execra.queue-capacity", "-1");
		FailureAnalysis analysis = new InvalidExecraPropertyFailureAnalyzer(environment)
			.analyze(new InvalidExecraPropertyException("execra.queue-capacity", -1, "must be at least 0"));
		assertThat(analysis.getDescription()).contains("Origin: \"execra.queue-capacity\" from property source");
		assertThat(analysis.getAction()).contains("execra.queue-capacity");
	}

	@Test
	void applicationFailsToStartWithAReportNamingThePropertyAndWhereItWasSet(CapturedOutput output) {
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--execra.security.redact-patterns[0]=(open"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid execra configuration property 'execra.security.redact-patterns[0]'")
			.contains("Origin: \"execra.security.redact-patterns[0]\" from property source \"commandLineArgs\"");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

	private String analyze(String... properties) {
		String[] description = new String[1];
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new InvalidExecraPropertyFailureAnalyzer(null)
				.analyze(context.getStartupFailure());
			assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
			description[0] = analysis.getDescription();
		});
		return description[0];
	}

}
