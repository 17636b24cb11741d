package io.execra.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.execra.ExecraRuntime;
import io.execra.InvalidPlaceholderException;
import io.execra.JobHandle;
import io.execra.Outcome;
import io.execra.OutputPage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for presets from {@code execra.commands}: a placeholder value is always exactly one argument, whatever it
 * contains, shown by a script that prints its argument count and then each argument between angle brackets.
 */
class ExecraPresetArgumentTests {

	@TempDir
	static Path directory;

	static Path script;

	@BeforeAll
	static void writeScript() throws IOException {
		script = Files.writeString(directory.resolve("argv.sh"),
				"printf '%s\\n' \"$#\"\nfor arg in \"$@\"; do printf '<%s>\\n' \"$arg\"; done\n");
	}

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ExecraAutoConfiguration.class))
			// a shell runs only when listed explicitly, since allow-shell is false
			.withPropertyValues("execra.security.allowed-programs=/bin/sh", "execra.commands.argv.program=/bin/sh",
					"execra.commands.argv.args[0]=" + script,
					"execra.commands.argv.args[1]=--name={value}", "execra.commands.argv.args[2]={value}",
					"execra.commands.argv.args[3]={{literal}}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "; rm -rf /", "$(touch /tmp/execra-pwned)", "`id`", "two words", "\"double\" 'single'",
			"*", "$HOME", "a|b&&c>d", "{other}", "", "not-an--option" })
	void placeholderValueStaysOneLiteralArgument(String value) {
		contextRunner().run((context) -> {
			ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
			JobHandle handle = runtime.spawn("argv", Map.of("value", value));
			assertThat(handle.await()).isInstanceOf(Outcome.Succeeded.class);
			List<String> expected = new ArrayList<>();
			expected.add("3");
			expected.addAll(List.of(("<--name=" + value + ">").split("\n", -1)));
			expected.addAll(List.of(("<" + value + ">").split("\n", -1)));
			expected.add("<{literal}>");
			assertThat(outputLines(runtime, handle)).containsExactlyElementsOf(expected);
		});
		assertThat(Path.of("/tmp/execra-pwned")).doesNotExist();
	}

	@ParameterizedTest
	@ValueSource(strings = { "--help", "-rf", "\u2013help", "line one\nline two", "nul\0byte" })
	void placeholderValueThatCouldBeAnOptionOrSplitALineIsRejected(String value) {
		contextRunner().run((context) -> {
			ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
			assertThatExceptionOfType(InvalidPlaceholderException.class)
				.isThrownBy(() -> runtime.spawn("argv", Map.of("value", value)))
				.withMessageContaining("Preset 'argv', placeholder 'value'");
			assertThat(runtime.recent(10)).isEmpty();
		});
	}

	@Test
	void missingPlaceholderValueIsAClearError() {
		contextRunner().run((context) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> context.getBean(ExecraRuntime.class).spawn("argv", Map.of()))
			.withMessageContaining("Preset 'argv' needs a value for placeholder [value]"));
	}

	@Test
	void unknownPlaceholderValueIsAClearError() {
		contextRunner().run((context) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> context.getBean(ExecraRuntime.class)
				.spawn("argv", Map.of("value", "x", "extra", "; rm -rf /")))
			.withMessageContaining("Preset 'argv' has no placeholder [extra]"));
	}

	@Test
	void unknownPresetIsAClearError() {
		contextRunner().run((context) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> context.getBean(ExecraRuntime.class).spawn("nope", Map.of()))
			.withMessageContaining("Unknown preset 'nope'"));
	}

	private static List<String> outputLines(ExecraRuntime runtime, JobHandle handle) throws InterruptedException {
		OutputPage page = runtime.output(handle.id(), 0, 1 << 20, Duration.ZERO);
		return page.chunks().stream().map(OutputPage.Chunk::line).toList();
	}

}
