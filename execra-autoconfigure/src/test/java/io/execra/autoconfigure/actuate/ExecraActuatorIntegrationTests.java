package io.execra.autoconfigure.actuate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.JobState;
import io.execra.Outcome;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Actuator integration over HTTP, with real jobs: the {@code execra} health component, the {@code execra.*}
 * meters at {@code /actuator/metrics} and the {@code execra} endpoint.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,metrics,execra",
				"management.endpoint.health.show-details=always", "execra.security.allow-shell=true",
				"execra.max-concurrent=2", "execra.runtimes.media.max-concurrent=1" })
class ExecraActuatorIntegrationTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@LocalServerPort
	int port;

	@Autowired
	ExecraRuntime runtime;

	@Autowired
	SwitchableJobStore store;

	@Autowired
	org.springframework.context.ApplicationContext context;

	private RestClient http;

	@BeforeEach
	void client() {
		this.store.failing(false);
		this.http = RestClient.builder()
			.baseUrl("http://localhost:" + this.port + "/actuator")
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
	}

	@Test
	void healthShowsTheExecraComponentWithItsRuntimesStoreAndRetention() {
		ResponseEntity<Map<String, Object>> health = get("/health/execra");

		assertThat(health.getStatusCode().value()).isEqualTo(200);
		assertThat(health.getBody()).containsEntry("status", "UP");
		Map<String, Object> details = map(health.getBody().get("details"));
		Map<String, Object> runtimes = map(details.get("runtimes"));
		assertThat(runtimes).containsOnlyKeys("default", "media");
		assertThat(map(runtimes.get("default"))).containsEntry("maxConcurrent", 2)
			.containsEntry("queueCapacity", 1000)
			.containsEntry("accepting", true)
			.containsKeys("running", "queued");
		assertThat(map(map(runtimes.get("media")).get("store"))).containsEntry("reachable", true)
			.containsEntry("type", "SwitchableJobStore");
		assertThat(map(details.get("retention"))).containsEntry("enabled", true);
	}

	@Test
	void aFailingStoreTurnsHealthDownAndARecoveredOneBackUp() {
		this.store.failing(true);
		ResponseEntity<Map<String, Object>> down = get("/health/execra");
		assertThat(down.getStatusCode().value()).isEqualTo(503);
		assertThat(down.getBody()).containsEntry("status", "DOWN");
		Map<String, Object> store = map(map(map(map(down.getBody().get("details")).get("runtimes")).get("default"))
			.get("store"));
		assertThat(store).containsEntry("reachable", false);
		assertThat((String) store.get("error")).contains("Connection refused");
		assertThat(get("/health").getBody()).containsEntry("status", "DOWN");

		this.store.failing(false);
		ResponseEntity<Map<String, Object>> up = get("/health/execra");
		assertThat(up.getStatusCode().value()).isEqualTo(200);
		assertThat(up.getBody()).containsEntry("status", "UP");
	}

	@Test
	void metersMoveAsRealJobsRun() throws InterruptedException {
		double finished = count("/metrics/execra.job?tag=runtime:default&tag=outcome:failed");
		double lines = count("/metrics/execra.output.lines?tag=stream:stdout");

		Outcome outcome = this.runtime.spawn(Command.shell("echo a; echo b; exit 4")).await();

		assertThat(outcome).isInstanceOf(Outcome.Failed.class);
		assertThat(count("/metrics/execra.job?tag=runtime:default&tag=outcome:failed&tag=reason:non_zero_exit"))
			.isGreaterThanOrEqualTo(1);
		assertThat(count("/metrics/execra.job?tag=runtime:default&tag=outcome:failed")).isEqualTo(finished + 1);
		assertThat(count("/metrics/execra.output.lines?tag=stream:stdout")).isEqualTo(lines + 2);
		assertThat(get("/metrics/execra.job.active").getStatusCode().value()).isEqualTo(200);
		assertThat(get("/metrics/execra.job.queued").getStatusCode().value()).isEqualTo(200);
	}

	@Test
	void listsAndShowsJobsFromTheRuntimesViewsWithoutEnvironmentValues() throws InterruptedException {
		JobHandle handle = this.runtime.spawn(Command.shell("echo first; echo second >&2")
			.env("API_TOKEN", "s3cr3t-value")
			.tags("endpoint-list"));
		handle.await();

		ResponseEntity<Map<String, Object>> list = get("/execra?tag=endpoint-list&state=finalized");
		assertThat(list.getStatusCode().value()).isEqualTo(200);
		assertThat(list.getBody()).containsEntry("total", 1).containsEntry("runtime", "default");
		assertThat(list.getBody().get("runtimes")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.containsExactly("default", "media");
		List<Object> jobs = list(list.getBody().get("jobs"));
		assertThat(map(jobs.get(0))).containsEntry("id", handle.id().toString()).containsEntry("outcome", "succeeded");

		ResponseEntity<String> raw = this.http.get().uri("/execra/" + handle.id()).retrieve().toEntity(String.class);
		assertThat(raw.getBody()).doesNotContain("s3cr3t-value").contains("API_TOKEN");
		Map<String, Object> job = get("/execra/" + handle.id()).getBody();
		assertThat(list(map(job.get("command")).get("envKeys"))).containsExactly("API_TOKEN");
		assertThat(list(job.get("events"))).extracting((event) -> map(event).get("kind"))
			.contains("job_created", "job_started", "exited", "finalized")
			.doesNotContain("output_appended");
		assertThat(list(job.get("outputTail"))).containsExactlyInAnyOrder("first", "second");
		assertThat(get("/execra/" + java.util.UUID.randomUUID()).getStatusCode().value()).isEqualTo(404);
		assertThat(get("/execra?state=sleeping").getStatusCode().value()).isEqualTo(400);
	}

	@Test
	void cancelThroughTheEndpointKillsTheJobsWholeProcessGroup() throws Exception {
		JobHandle handle = this.runtime.spawn(Command.shell("sleep 300 & sleep 300; wait"));
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.runtime.job(handle.id()).orElseThrow().state() == JobState.RUNNING);
		long pid = this.runtime.job(handle.id()).orElseThrow().pid();
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> processGroup(pid).size() >= 3);

		ResponseEntity<Map<String, Object>> cancel = post("/execra/" + handle.id());

		assertThat(cancel.getStatusCode().value()).isEqualTo(200);
		assertThat(cancel.getBody()).containsEntry("cancelled", true)
			.containsEntry("runtime", "default")
			.containsEntry("node", this.runtime.settings().nodeId());
		assertThat(handle.outcome().get(30, java.util.concurrent.TimeUnit.SECONDS))
			.isInstanceOf(Outcome.Cancelled.class);
		assertThat(processGroup(pid)).isEmpty();
		assertThat(post("/execra/" + handle.id()).getBody()).containsEntry("cancelled", false);
	}

	@Test
	void cancelOfAJobAnotherNodeRunsAnswersConflictNamingThatNodeAndTheJobRunsOn() throws Exception {
		try (ExecraRuntime otherNode = ExecraRuntime.builder().store(this.store).nodeId("instance-a").build()) {
			JobHandle handle = otherNode.spawn(Command.of("sleep", "60"));
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> this.runtime.job(handle.id()).map((job) -> job.state() == JobState.RUNNING).orElse(false));

			ResponseEntity<Map<String, Object>> cancel = post("/execra/" + handle.id());

			assertThat(cancel.getStatusCode().value()).isEqualTo(409);
			assertThat(cancel.getBody()).containsEntry("id", handle.id().toString())
				.containsEntry("node", "instance-a");
			assertThat((String) cancel.getBody().get("message")).contains("instance-a");
			assertThat(handle.outcome()).isNotDone();
			assertThat(otherNode.job(handle.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);
		}
	}

	@Test
	void jobsNameTheRuntimeAndNodeThatRanThemNotTheRuntimeQueried() throws Exception {
		ExecraRuntime media = this.context.getBean("mediaExecraRuntime", ExecraRuntime.class);
		JobHandle handle = media.spawn(Command.of("true").tags("ran-by-media"));
		handle.await();
		String mediaNode = media.settings().nodeId();

		Map<String, Object> list = get("/execra?tag=ran-by-media").getBody();
		assertThat(list).containsEntry("runtime", "default");
		assertThat(map(list(list.get("jobs")).get(0))).containsEntry("runtime", "media").containsEntry("node", mediaNode);
		assertThat(map(get("/execra/" + handle.id()).getBody().get("job"))).containsEntry("runtime", "media")
			.containsEntry("node", mediaNode);
	}

	@Test
	void aJobOfAnotherNodeIsListedWithItsNodeAndNoRuntimeOfThisInstance() throws Exception {
		try (ExecraRuntime otherNode = ExecraRuntime.builder().store(this.store).nodeId("instance-b").build()) {
			JobHandle handle = otherNode.spawn(Command.of("true"));
			handle.await();
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.runtime.job(handle.id()).isPresent());

			Map<String, Object> job = map(get("/execra/" + handle.id()).getBody().get("job"));

			assertThat(job).containsEntry("node", "instance-b").doesNotContainEntry("runtime", "default");
			assertThat(job.get("runtime")).isNull();
		}
	}

	@Test
	void cancelWithoutAJsonContentTypeIsRefusedAndTheJobRunsOn() throws Exception {
		JobHandle handle = this.runtime.spawn(Command.of("sleep", "60"));
		try {
			int status = this.http.post().uri("/execra/" + handle.id()).retrieve().toBodilessEntity()
				.getStatusCode()
				.value();

			assertThat(status).isEqualTo(415);
			assertThat(handle.outcome()).isNotDone();
		}
		finally {
			handle.cancel();
		}
	}

	private ResponseEntity<Map<String, Object>> get(String path) {
		return this.http.get().uri(path).retrieve().toEntity(JSON);
	}

	private ResponseEntity<Map<String, Object>> post(String path) {
		return this.http.post()
			.uri(path)
			.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
			.body("{}")
			.retrieve()
			.toEntity(JSON);
	}

	private double count(String path) {
		ResponseEntity<Map<String, Object>> response = get(path);
		if (response.getStatusCode().value() == 404) {
			return 0;
		}
		return list(response.getBody().get("measurements")).stream()
			.map(ExecraActuatorIntegrationTests::map)
			.filter((m) -> "COUNT".equals(m.get("statistic")))
			.mapToDouble((m) -> ((Number) m.get("value")).doubleValue())
			.sum();
	}

	/** Pids of the live processes in a process group. */
	private static List<String> processGroup(long pgid) throws IOException, InterruptedException {
		Process ps = new ProcessBuilder("ps", "-o", "pid=,stat=", "-g", Long.toString(pgid)).start();
		String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		ps.waitFor();
		return out.lines().map(String::trim).filter((line) -> !line.isEmpty() && !line.endsWith("Z")).toList();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object value) {
		return (List<Object>) value;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ActuatorApplication {

		@Bean
		SwitchableJobStore jobStore() {
			return new SwitchableJobStore();
		}

	}

}
