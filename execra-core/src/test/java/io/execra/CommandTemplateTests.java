package io.execra;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Presets: placeholders stay single arguments; bad templates and parameters are clear errors.
 */
class CommandTemplateTests {

	private static CommandTemplate template(List<String> args) {
		return new CommandTemplate("transcode", "ffmpeg", args, Map.of(), null, null, Set.of("media"),
				Duration.ofMinutes(1), Set.of(), null);
	}

	@Test
	void placeholdersAreReplacedVerbatimAndStayOneArgument() {
		Command command = template(List.of("-i", "{input}", "--out={output}", "{{literal}}"))
			.render(Map.of("input", "a b; rm -rf / $(id)", "output", "x'y\"z"));
		assertThat(command.args()).containsExactly("-i", "a b; rm -rf / $(id)", "--out=x'y\"z", "{literal}");
		assertThat(command.program()).isEqualTo("ffmpeg");
		assertThat(command.tags()).containsExactly("media");
		assertThat(command.metadata()).containsEntry("preset", "transcode");
		assertThat(command.label()).isEqualTo("transcode");
	}

	@Test
	void missingAndUnknownParametersAreNamed() {
		CommandTemplate template = template(List.of("{input}", "{output}"));
		assertThatIllegalArgumentException().isThrownBy(() -> template.render(Map.of("input", "a")))
			.withMessageContaining("'transcode'")
			.withMessageContaining("[output]");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> template.render(Map.of("input", "a", "output", "b", "extra", "c")))
			.withMessageContaining("no placeholder [extra]");
	}

	@Test
	void malformedPlaceholdersAreRejectedWhenThePresetIsDefined() {
		assertThatIllegalArgumentException().isThrownBy(() -> template(List.of("{in put}")))
			.withMessageContaining("Preset 'transcode' args[0]")
			.withMessageContaining("invalid placeholder");
		assertThatIllegalArgumentException().isThrownBy(() -> template(List.of("{input")))
			.withMessageContaining("unbalanced brace");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CommandTemplate("p", "{tool}", List.of(), Map.of(), null, null, Set.of(), null,
					Set.of(), null))
			.withMessageContaining("cannot contain placeholders");
	}

}
