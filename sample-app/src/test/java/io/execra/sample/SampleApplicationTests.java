package io.execra.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.JobId;
import io.execra.Outcome;
import io.execra.sample.support.ApiClient;
import io.execra.sample.support.ApiClient.Response;
import io.execra.sample.support.ApiClient.SseEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke test of the sample: the whole application on a random port, with its own work directory and database,
 * starting each preset through the REST API on the real tools and checking what execra made of their output.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);

	@TempDir
	static Path temp;

	@DynamicPropertySource
	static void isolate(DynamicPropertyRegistry registry) {
		registry.add("sample.work-dir", () -> temp.resolve("work").toString());
		registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + temp.resolve("db/execra-sample"));
	}

	@LocalServerPort
	int port;

	@Autowired
	ExecraRuntime runtime;

	ApiClient api;

	@BeforeEach
	void client() {
		this.api = new ApiClient("http://localhost:" + this.port);
	}

	@Test
	void transcodePresetConvertsTheGeneratedClipWithRisingProgress() throws Exception {
		Response created = this.api.launch("transcode", Map.of("speed", "10"));
		assertThat(created.status()).as("POST /api/jobs: %s", created.body()).isEqualTo(201);
		assertThat(created.headers().get("location")).containsExactly("/api/jobs/" + created.text("/id"));

		Outcome outcome = awaitOutcome(created);

		JsonNode job = this.api.get("/api/jobs/" + created.text("/id")).body();
		assertThat(outcome.isSuccess()).as("transcode outcome: %s, output: %s", outcome, job.at("/job/outputTail")).isTrue();
		assertThat(Path.of(created.body().at("/command/args").get(created.body().at("/command/args").size() - 1).asString()))
			.isNotEmptyFile();
		List<Double> fractions = kinds(job, "progress_updated").stream()
			.map((event) -> event.at("/progress/fraction").asDouble())
			.toList();
		assertThat(fractions).as("progress of job %s", created.text("/id")).hasSizeGreaterThan(2).isSorted();
		assertThat(fractions.get(fractions.size() - 1)).isEqualTo(1.0);
		assertThat(kinds(job, "phase_entered")).extracting((event) -> event.get("name").asString()).contains("transcode");
		assertThat(job.at("/job/outcome/kind").asString()).isEqualTo("succeeded");
	}

	@Test
	void clonePresetClonesTheDemoRepositoryThroughGitsPhases() throws Exception {
		Response created = this.api.launch("clone", Map.of());
		assertThat(created.status()).as("POST /api/jobs: %s", created.body()).isEqualTo(201);

		Outcome outcome = awaitOutcome(created);

		JsonNode job = this.api.get("/api/jobs/" + created.text("/id")).body();
		assertThat(outcome.isSuccess()).as("clone outcome: %s, output: %s", outcome, job.at("/job/outputTail")).isTrue();
		assertThat(kinds(job, "phase_entered")).extracting((event) -> event.get("name").asString())
			.as("phases of the clone").hasSizeGreaterThanOrEqualTo(2);
		JsonNode args = created.body().at("/command/args");
		String target = args.get(args.size() - 1).asString();
		assertThat(Path.of(target, "chapter-12.txt")).isNotEmptyFile();
	}

	@Test
	void buildPresetReportsPhasesWarningsFindingsAndDeploysWhenThePromptIsAnswered() throws Exception {
		Response created = this.api.launch("build", Map.of("delay", "0.05"));
		assertThat(created.status()).as("POST /api/jobs: %s", created.body()).isEqualTo(201);
		JobHandle handle = handle(created);

		Event.PromptDetected prompt = awaitPrompt(handle);
		assertThat(prompt.prompt()).isEqualTo("Proceed with deploy? [y/N]");
		Response answered = this.api.post("/api/jobs/" + handle.id() + "/stdin", Map.of("text", "y"));
		assertThat(answered.status()).isEqualTo(204);

		Outcome outcome = handle.outcome().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		JsonNode job = this.api.get("/api/jobs/" + handle.id()).body();
		assertThat(outcome.isSuccess()).as("build outcome: %s, output: %s", outcome, job.at("/job/outputTail")).isTrue();
		assertThat(outcome.message()).isEqualTo("demo deployed to staging");
		assertThat(kinds(job, "phase_entered")).extracting((event) -> event.get("name").asString())
			.containsExactly("resolve", "compile", "lint", "test", "deploy");
		assertThat(kinds(job, "warning_detected")).hasSize(2);
		assertThat(kinds(job, "finding_emitted")).extracting((event) -> event.at("/finding/code").asString())
			.containsExactly("lint_warning", "lint_error", "lint_info");
		assertThat(job.at("/job/outcome/findings").size()).isEqualTo(3);
	}

	@Test
	void cancellingARunningJobEndsItCancelled() throws Exception {
		Response created = this.api.launch("build", Map.of("delay", "5"));
		JobHandle handle = handle(created);
		awaitEvent(handle, Event.JobStarted.class);

		Response cancelled = this.api.post("/api/jobs/" + handle.id() + "/cancel", Map.of());

		assertThat(cancelled.status()).isEqualTo(200);
		assertThat(handle.outcome().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
			.isInstanceOf(Outcome.Cancelled.class);
		assertThat(this.api.get("/api/jobs/" + handle.id()).text("/job/outcome/kind")).isEqualTo("cancelled");
	}

	@Test
	void jobEventsStreamResumesAfterLastEventId() throws Exception {
		Response created = this.api.launch("build", Map.of("delay", "0", "project", "resume"));
		JobHandle handle = handle(created);
		Event.PromptDetected prompt = awaitPrompt(handle);
		handle.writeLine("n");
		handle.outcome().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

		List<SseEvent> all = this.api.readEvents("/api/jobs/" + handle.id() + "/events", null);
		List<SseEvent> resumed = this.api.readEvents("/api/jobs/" + handle.id() + "/events",
				Long.toString(prompt.seq()));

		assertThat(all.get(0).name()).isEqualTo("job_created");
		assertThat(all).allSatisfy((event) -> {
			assertThat(event.data().get("kind").asString()).isEqualTo(event.name());
			assertThat(event.id()).isEqualTo(event.data().get("seq").asString());
		});
		assertThat(all.get(all.size() - 1).name()).isEqualTo("finalized");
		assertThat(resumed).isEqualTo(all.stream().filter((event) -> Long.parseLong(event.id()) > prompt.seq()).toList());
		assertThat(resumed).extracting(SseEvent::name).contains("output_appended").endsWith("finalized");
	}




	@Test
	void anEventStreamSendsItsFirstBytesAtOnceNotAtTheFirstHeartbeat() throws Exception {
		java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
		java.net.http.HttpRequest request = java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://localhost:" + this.port + "/api/events"))
			.header("Accept", "text/event-stream")
			.build();
		long start = System.nanoTime();
		java.net.http.HttpResponse<java.io.InputStream> response = client
			.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream())
			.get(10, TimeUnit.SECONDS);
		try (java.io.InputStream body = response.body()) {
			java.util.concurrent.CompletableFuture<Integer> first = java.util.concurrent.CompletableFuture
				.supplyAsync(() -> {
					try {
						return body.read();
					}
					catch (java.io.IOException ex) {
						throw new java.io.UncheckedIOException(ex);
					}
				});
			// the heartbeat comes after 15 s: a first byte within 10 s was sent on connecting
			assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo((int) ':');
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
	}

	@Test
	void theWorkspaceIsCreatedOnFirstUse() throws Exception {
		awaitOutcome(this.api.launch("transcode", Map.of("speed", "20")));

		assertThat(temp.resolve("work/media/testsrc.mp4")).isNotEmptyFile();
		assertThat(Files.list(temp.resolve("work/out"))).isNotEmpty();
	}

	private Outcome awaitOutcome(Response created) throws Exception {
		assertThat(created.status()).as("POST /api/jobs: %s", created.body()).isEqualTo(201);
		return handle(created).outcome().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
	}

	private Outcome awaitOutcome(Response created, String answer) throws Exception {
		JobHandle handle = handle(created);
		awaitPrompt(handle);
		handle.writeLine(answer);
		return handle.outcome().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
	}

	private JobHandle handle(Response created) {
		assertThat(created.status()).as("POST /api/jobs: %s", created.body()).isEqualTo(201);
		return this.runtime.handle(JobId.parse(created.text("/id"))).orElseThrow();
	}

	private static Event.PromptDetected awaitPrompt(JobHandle handle) throws InterruptedException {
		return awaitEvent(handle, Event.PromptDetected.class);
	}

	private static <E extends Event> E awaitEvent(JobHandle handle, Class<E> type) throws InterruptedException {
		List<String> seen = new ArrayList<>();
		try (EventStream events = handle.events()) {
			long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
			while (System.nanoTime() < deadline) {
				Event event = events.next(Duration.ofSeconds(1));
				if (type.isInstance(event)) {
					return type.cast(event);
				}
				if (event != null) {
					seen.add(event.kind());
					if (event.isTerminal()) {
						break;
					}
				}
			}
		}
		throw new AssertionError("Job " + handle.id() + " (" + handle.snapshot().command().commandLine()
				+ ") sent no " + type.getSimpleName() + "; events: " + seen + ", output: " + handle.snapshot().outputTail());
	}

	private static List<JsonNode> kinds(JsonNode details, String kind) {
		return StreamSupport.stream(details.get("events").spliterator(), false)
			.filter((event) -> event.get("kind").asString().equals(kind))
			.toList();
	}

}
