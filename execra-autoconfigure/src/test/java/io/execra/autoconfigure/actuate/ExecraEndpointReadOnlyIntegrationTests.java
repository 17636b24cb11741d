package io.execra.autoconfigure.actuate;

import java.time.Duration;
import java.util.Map;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.JobState;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code management.endpoint.execra.access=read-only}: jobs can be listed and shown, not cancelled.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=execra",
				"management.endpoint.execra.access=read-only" })
class ExecraEndpointReadOnlyIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ExecraRuntime runtime;

	@Test
	void readOnlyAccessListsJobsButCannotCancelThem() {
		RestClient http = RestClient.builder()
			.baseUrl("http://localhost:" + this.port + "/actuator")
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
		JobHandle handle = this.runtime.spawn(Command.of("sleep", "300"));
		try {
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> this.runtime.job(handle.id()).orElseThrow().state() == JobState.RUNNING);

			assertThat(http.get().uri("/execra").retrieve().toEntity(Map.class).getStatusCode().value())
				.isEqualTo(200);
			assertThat(http.get().uri("/execra/" + handle.id()).retrieve().toEntity(Map.class).getStatusCode().value())
				.isEqualTo(200);
			int cancel = http.post()
				.uri("/execra/" + handle.id())
				.contentType(MediaType.APPLICATION_JSON)
				.body("{}")
				.retrieve()
				.toBodilessEntity()
				.getStatusCode()
				.value();

			assertThat(cancel).isIn(404, 405);
			assertThat(this.runtime.job(handle.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);
		}
		finally {
			handle.cancel();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ReadOnlyApplication {

	}

}
