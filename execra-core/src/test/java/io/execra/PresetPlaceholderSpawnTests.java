package io.execra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A preset spawned with a value its placeholder checks reject: the spawn throws, and nothing ran, nothing was
 * written and nothing was recorded.
 */
class PresetPlaceholderSpawnTests {

	@TempDir
	Path directory;

	@Test
	void anOptionInjectedThroughAPlaceholderStartsNoJob() throws Exception {
		Path marker = this.directory.resolve("marker");
		// touch creates the marker whatever option it is given: only a job that never starts leaves no marker
		CommandTemplate touch = new CommandTemplate("touch", "touch", List.of(marker.toString(), "{file}"), Map.of(),
				this.directory.toString(), null, Set.of(), null, Set.of(), null);
		try (ExecraRuntime runtime = ExecraRuntime.builder().preset(touch).build()) {
			assertThatExceptionOfType(InvalidPlaceholderException.class)
				.isThrownBy(() -> runtime.spawn("touch", Map.of("file", "-a")))
				.withMessageContaining("Preset 'touch', placeholder 'file'");
			assertThat(runtime.recent(10)).isEmpty();
			assertThat(runtime.jobs().list()).isEmpty();
			assertThat(runtime.running()).isEmpty();
		}
		assertThat(marker).doesNotExist();
		assertThat(this.directory).isEmptyDirectory();
	}

	@Test
	void aPathEscapingItsBaseDirectoryStartsNoJob() throws Exception {
		Path media = Files.createDirectory(this.directory.resolve("media"));
		// run in the base directory, so that an unchecked "../escaped" would land in the temporary directory
		CommandTemplate touch = new CommandTemplate("create", "touch", List.of("{output}"), Map.of(), media.toString(),
				null, Set.of(), null, Set.of(), null)
			.withRule("output", PlaceholderRule.path(media).mustExist(false));
		try (ExecraRuntime runtime = ExecraRuntime.builder().preset(touch).build()) {
			assertThatExceptionOfType(InvalidPlaceholderException.class)
				.isThrownBy(() -> runtime.spawn("create", Map.of("output", "../escaped")));
			assertThat(runtime.recent(10)).isEmpty();
			assertThat(runtime.jobs().list()).isEmpty();
			assertThat(runtime.spawn("create", Map.of("output", "made")).await()).isInstanceOf(Outcome.Succeeded.class);
			assertThat(runtime.recent(10)).hasSize(1);
		}
		assertThat(this.directory.resolve("escaped")).doesNotExist();
		assertThat(media.resolve("made")).exists();
	}

	@Test
	void aNullValueStartsNoJob() throws IOException {
		CommandTemplate echo = new CommandTemplate("echo", "echo", List.of("{text}"), Map.of(), null, null, Set.of(),
				null, Set.of(), null);
		Map<String, String> parameters = new java.util.HashMap<>();
		parameters.put("text", null);
		try (ExecraRuntime runtime = ExecraRuntime.builder().preset(echo).build()) {
			assertThatExceptionOfType(InvalidPlaceholderException.class)
				.isThrownBy(() -> runtime.spawn("echo", parameters))
				.withMessageContaining("null");
			assertThat(runtime.recent(10)).isEmpty();
		}
	}

}
