package io.execra.autoconfigure.actuate;

import java.time.Duration;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Outcome;
import io.execra.store.JobStore;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code execra.security.redact-patterns} over HTTP and JPA: a literal secret of a command shows neither in the
 * {@code execra} endpoint nor in the rows of the JPA store — not in another argument, the label or metadata that the
 * pattern alone does not match, nor in an output line the line-length cap cuts inside the secret.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=execra",
				"spring.datasource.url=jdbc:h2:mem:execra-redaction;DB_CLOSE_DELAY=-1",
				"spring.jpa.hibernate.ddl-auto=validate", "execra.max-line-length=16",
				"execra.security.redact-patterns=(?<=--token=)[^ ]+" })
class ExecraRedactionIntegrationTests {

	/** The secret: letters no job id, timestamp or number can hold, so that any piece of it would be found. */
	private static final String SECRET = "xyz789";

	@LocalServerPort
	int port;

	@Autowired
	ExecraRuntime runtime;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void neitherTheEndpointNorTheJpaStoreShowsALiteralSecret() throws InterruptedException {
		assertThat(this.runtime.settings().store()).isNotInstanceOf(io.execra.store.InMemoryJobStore.class);
		// prints "0123456789ABCxyz789": the 16-byte line cap cuts it after "xyz"
		JobHandle handle = this.runtime.spawn(Command
			.of("printf", "%s%s\\n", "0123456789ABC", SECRET, "--token=" + SECRET, "https://example.org/?t=" + SECRET)
			.label("rotate " + SECRET)
			.metadata("ticket", "for " + SECRET));
		assertThat(handle.await()).isInstanceOf(Outcome.Succeeded.class);
		JobStore store = this.runtime.settings().store();
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> store.find(handle.id()).map((job) -> job.outputTail() != null).orElse(false));

		RestClient http = RestClient.create("http://localhost:" + this.port + "/actuator");
		String shown = http.get().uri("/execra/" + handle.id()).retrieve().body(String.class);
		String listed = http.get().uri("/execra").retrieve().body(String.class);
		String jobRow = this.jdbc.queryForList("SELECT * FROM EXECRA_JOB WHERE ID = ?", handle.id().toString())
			.toString();
		String eventRows = this.jdbc
			.queryForList("SELECT * FROM EXECRA_EVENT WHERE JOB_ID = ?", handle.id().toString())
			.toString();

		assertThat(shown).contains("https://example.org/?t=******").doesNotContain("xyz");
		assertThat(listed).contains("rotate ******").doesNotContain("xyz");
		assertThat(jobRow).contains("for ******").doesNotContain("xyz");
		assertThat(eventRows).contains("--token=******").doesNotContain("xyz");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class RedactionApplication {

	}

}
