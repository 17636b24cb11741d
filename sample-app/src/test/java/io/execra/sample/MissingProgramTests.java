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
 * The sample on a machine that lacks a program: the transcode preset's ffmpeg and another preset's program are
 * names found on no {@code PATH}, allowed by the security policy, so that they fail to start the way a program that
 * is not installed does, whether or not ffmpeg is installed here. Sent over HTTP to the whole application.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class MissingProgramTests {

	private static final String MISSING_FFMPEG = "execra-sample-missing-ffmpeg";

	private static final String MISSING_PROGRAM = "execra-sample-missing-program";

	private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

	@TempDir
	static Path temp;

	@DynamicPropertySource
	static void withoutThePrograms(DynamicPropertyRegistry registry) {
		registry.add("sample.work-dir", () -> temp.resolve("work").toString());
		registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + temp.resolve("db/execra-sample"));
		// one slot: a failed launch that kept its slot would make the next one 429
		registry.add("sample.max-jobs-per-client", () -> 1);
		registry.add("execra.security.allowed-programs",
				() -> String.join(",", "ffmpeg", "git", "sh", MISSING_FFMPEG, MISSING_PROGRAM));
		registry.add("execra.commands.transcode.program", () -> MISSING_FFMPEG);
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
	void transcodeWithoutItsProgramIsUnavailableNamingItAndRecordsOnlyTheFailedSetup() {
		for (int attempt = 1; attempt <= 2; attempt++) {
			Response response = this.api.launch("transcode", Map.of(), "no-ffmpeg");

			assertThat(response.status()).as("POST /api/jobs, attempt %d: %s", attempt, response.body()).isEqualTo(503);
			assertThat(response.headers().get("content-type")).containsExactly("application/problem+json");
			assertThat(response.text("/title")).isEqualTo("Program could not start");
			assertThat(response.text("/program")).isEqualTo(MISSING_FFMPEG);
			assertThat(response.text("/detail")).contains("Cannot run program \"" + MISSING_FFMPEG + "\"")
				.contains("No such file or directory");
			JsonNode setup = this.api.get("/api/jobs/" + response.text("/jobId")).body().get("job");
			assertThat(setup.at("/command/program").asString()).isEqualTo(MISSING_FFMPEG);
			assertThat(setup.at("/tags/0").asString()).isEqualTo("setup");
			assertThat(setup.at("/state").asString()).isEqualTo("FINALIZED");
			assertThat(setup.at("/outcome/reason/kind").asString()).isEqualTo("spawn_failed");
			assertThat(setup.at("/outcome/message").asString()).contains(MISSING_FFMPEG);
		}
		assertThat(this.api.get("/api/jobs?owner=no-ffmpeg").body().get("total").asLong())
			.as("transcode jobs recorded").isZero();
		assertThat(temp.resolve("work/media/testsrc.mp4")).doesNotExist();
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

}
