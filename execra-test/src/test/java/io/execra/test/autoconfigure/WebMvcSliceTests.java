package io.execra.test.autoconfigure;

import io.execra.Command;
import io.execra.JobRejectedException;
import io.execra.test.ExecraTestRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.web.servlet.MockMvc;

import static io.execra.test.ExecraTestAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(MediaApplication.MediaController.class)
@AutoConfigureExecraTestRuntime
class WebMvcSliceTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private ExecraTestRuntimes runtimes;

	@Test
	void aControllerStartsThePresetOfTheDefaultRuntimeWithoutAProcess() throws Exception {
		this.mvc.perform(post("/transcode").param("input", "clip.mp4")).andExpect(status().isOk());
		assertThat(this.runtimes.defaultRuntime()).spawnedPreset("transcode")
			.hasArguments("-i", "clip.mp4", "out.webm")
			.hasLabel("Transcode clip.mp4");
		assertThat(this.runtimes.named("batch")).spawnedNothing();
	}

	@Test
	void aQualifiedNamedRuntimeIsATestRuntimeWithItsOwnPresets() throws Exception {
		this.mvc.perform(post("/rebuild").param("target", "docs")).andExpect(status().isOk());
		ExecraTestRuntime batch = this.runtimes.named("batch");
		assertThat(batch).spawnedPreset("rebuild").hasArguments("docs");
		assertThat(batch.settings().maxConcurrent()).isEqualTo(1);
		assertThat(this.runtimes.all()).containsOnlyKeys("default", "batch");
	}

	@Test
	void theConfiguredSecurityPolicyStillRefusesCommands() {
		assertThatExceptionOfType(JobRejectedException.class)
			.isThrownBy(() -> this.runtimes.defaultRuntime().spawn(Command.of("rm", "-rf", "/")));
	}

	@Test
	void eachTestStartsWithNoSpawnsLeftByAnother() {
		// the other tests of this class spawn on the shared context; the reset listener clears them
		assertThat(this.runtimes.defaultRuntime()).spawnedNothing();
		assertThat(this.runtimes.named("batch")).spawnedNothing();
	}

}
