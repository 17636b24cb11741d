package io.execra.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.execra.sample.support.ApiClient;
import io.execra.sample.support.ApiClient.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample on a machine that lacks the programs its presets run: the transcode preset's ffmpeg, the clone
 * preset's git and another preset's program are names found on no {@code PATH}, allowed by the security policy, so
 * that they are missing the way a program that is not installed is, whether or not this machine has ffmpeg and
 * git. Sent over HTTP to the whole application.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class MissingProgramTests {

	private static final String MISSING_FFMPEG = "execra-sample-missing-ffmpeg";

	private static final String MISSING_GIT = "execra-sample-missing-git";

	private static final String MISSING_PROGRAM = "execra-sample-missing-program";

	private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

	@TempDir
	static Path temp;

	@DynamicPropertySource
	static void withoutThePrograms(DynamicPropertyRegistry registry) {
		registry.add("sample.work-dir", () -> temp.resolve("work").toString());
		registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + temp.resolve("db/execra-sample"));
		// one slot: a refused launch that kept its slot would make the next one 429
		registry.add("sample.max-jobs-per-client", () -> 1);
		registry.add("execra.security.allowed-programs",
				() -> String.join(",", "ffmpeg", "git", "sh", MISSING_FFMPEG, MISSING_GIT, MISSING_PROGRAM));
		registry.add("execra.commands.transcode.program", () -> MISSING_FFMPEG);
		registry.add("execra.commands.clone.program", () -> MISSING_GIT);
		registry.add("execra.commands.missing.program", () -> MISSING_PROGRAM);
		registry.add("execra.commands.missing.args[0]", () -> "x");
	}

	@LocalServerPort
	int port;

	ApiClient api;

	@BeforeEach
	void client() {
		this.api = new ApiClient("http://127.0.0.1:" + this.port);
	}

	@Test
	void transcodeWithoutFfmpegIsUnavailableNamingItAndRecordsOnlyTheSetupThatCouldNotStart() {
		for (int attempt = 1; attempt <= 2; attempt++) {
			JsonNode setup = assertUnavailableNaming("transcode", MISSING_FFMPEG);

			assertThat(setup.at("/command/program").asString()).isEqualTo(MISSING_FFMPEG);
			assertThat(setup.at("/outcome/reason/kind").asString()).isEqualTo("spawn_failed");
			assertThat(setup.at("/outcome/message").asString()).contains("Cannot run program \"" + MISSING_FFMPEG + "\"")
				.contains("No such file or directory");
		}
		assertNoJobOf("transcode");
		assertThat(temp.resolve("work/media/testsrc.mp4")).doesNotExist();
	}

	@Test
	void cloneWithoutGitIsUnavailableNamingItAndRecordsOnlyTheSetupThatDidNotFindIt() {
		JsonNode setup = assertUnavailableNaming("clone", MISSING_GIT);

		assertThat(setup.at("/command/program").asString()).isEqualTo("sh");
		assertThat(setup.at("/outcome/reason/kind").asString()).isEqualTo("non_zero_exit");
		assertThat(setup.at("/outputTail").asString()).contains("cannot run program \"" + MISSING_GIT + "\"");
		assertNoJobOf("clone");
		assertThat(temp.resolve("work/repos/demo")).doesNotExist();
	}

	@Test
	void aPresetWithoutItsProgramIsRecordedFailedNamingIt() {
		Response created = this.api.launch("missing", Map.of(), "no-program");
		assertThat(created.status()).as("POST /api/jobs: %s", created.body()).isEqualTo(201);

		JsonNode job = Awaitility.await()
			.atMost(JOB_TIMEOUT)
			.until(() -> this.api.get("/api/jobs/" + created.text("/id")).body().get("job"),
					(details) -> details.get("state").asString().equals("FINALIZED"));

		assertThat(job.at("/outcome/reason/kind").asString()).isEqualTo("spawn_failed");
		assertThat(job.at("/outcome/message").asString()).contains("Cannot run program \"" + MISSING_PROGRAM + "\"");
		assertThat(job.get("startedAt").isNull()).as("startedAt of %s", job).isTrue();
	}

	/**
	 * Launches a preset whose program is missing as the preset's owner and checks the problem.
	 * @return the setup job the problem names, as recorded
	 */
	private JsonNode assertUnavailableNaming(String preset, String program) {
		Response response = this.api.launch(preset, Map.of(), owner(preset));

		assertThat(response.status()).as("POST /api/jobs: %s", response.body()).isEqualTo(503);
		assertThat(response.headers().get("content-type")).containsExactly("application/problem+json");
		assertThat(response.text("/title")).isEqualTo("Program could not start");
		assertThat(response.text("/program")).isEqualTo(program);
		assertThat(response.text("/detail")).contains("\"" + program + "\"");
		JsonNode setup = this.api.get("/api/jobs/" + response.text("/jobId")).body().get("job");
		assertThat(setup.at("/tags/0").asString()).isEqualTo("setup");
		assertThat(setup.at("/state").asString()).isEqualTo("FINALIZED");
		return setup;
	}

	private void assertNoJobOf(String preset) {
		assertThat(this.api.get("/api/jobs?owner=" + owner(preset)).body().get("total").asLong())
			.as("jobs of %s", owner(preset))
			.isZero();
	}

	private static String owner(String preset) {
		return "without-" + preset;
	}

}
