package io.execra.autoconfigure.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Outcome;
import io.execra.autoconfigure.metrics.ExecraMetrics;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters as Prometheus scrapes them from {@code /actuator/prometheus} after real jobs: each meter the table of
 * {@code docs/observability.md} documents appears exactly once, and no other {@code execra} meter does.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=prometheus",
				"execra.interpreters.lint.rules[0].type=finding", "execra.interpreters.lint.rules[0].pattern=^warn: (.*)$",
				"execra.interpreters.lint.rules[0].severity=warning", "execra.interpreters.lint.rules[0].code=lint",
				"execra.interpreters.lint.rules[0].message=$1", "execra.commands.lint.program=echo",
				"execra.commands.lint.args[0]=warn: {what}", "execra.commands.lint.interpreter=lint" })
class ExecraPrometheusIntegrationTests {

	private static final Path OBSERVABILITY = Path.of("..", "docs", "observability.md");

	private static final Pattern METER_ROW = Pattern.compile("^\\| `(execra\\.[a-z.]+)` \\| ([a-z ]+?) \\|");

	private static final Pattern FAMILY = Pattern.compile("^# TYPE (execra_\\S+) ", Pattern.MULTILINE);

	@LocalServerPort
	int port;

	@Autowired
	ExecraRuntime runtime;

	@Test
	void eachDocumentedMeterIsScrapedExactlyOnceAfterRealJobs() throws Exception {
		Outcome linted = this.runtime.spawn("lint", Map.of("what", "unused variable")).await();
		assertThat(linted).isInstanceOf(Outcome.Succeeded.class);
		JobHandle sleeping = this.runtime.spawn(Command.of("sleep", "300"));
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !this.runtime.running().isEmpty());
		String whileRunning = scrape();
		sleeping.cancel();
		sleeping.await();
		String scrape = scrape();

		Map<String, String> documented = documentedMeters();
		assertThat(documented.keySet()).as("meters documented in docs/observability.md")
			.containsExactlyInAnyOrderElementsOf(Arrays.stream(ExecraMetrics.values()).map(ExecraMetrics::getName).toList());
		List<String> families = families(scrape);
		List<String> expected = new ArrayList<>();
		documented.forEach((meter, type) -> {
			String family = family(meter, type);
			assertThat(families).as("Prometheus families of %s", meter).containsOnlyOnce(family);
			expected.add(family);
			if (type.endsWith("timer")) {
				expected.add(family + "_max");
			}
		});
		assertThat(families).as("no other execra meter").containsExactlyInAnyOrderElementsOf(expected);
		assertThat(whileRunning).contains("execra_job_active_seconds_count{runtime=\"default\"} 1")
			.doesNotContain("unknown");
	}

	/** The name of a meter's family as the Prometheus registry writes it. */
	private static String family(String meter, String type) {
		String base = meter.replace('.', '_');
		return switch (type) {
			case "counter" -> base + "_total";
			case "timer", "long task timer" -> base + "_seconds";
			default -> base;
		};
	}

	private String scrape() {
		return RestClient.create("http://localhost:" + this.port + "/actuator/prometheus")
			.get()
			.retrieve()
			.body(String.class);
	}

	private static List<String> families(String scrape) {
		List<String> families = new ArrayList<>();
		Matcher matcher = FAMILY.matcher(scrape);
		while (matcher.find()) {
			families.add(matcher.group(1));
		}
		return families;
	}

	/** The meters of the table of docs/observability.md's Metrics section, by name, with their type. */
	private static Map<String, String> documentedMeters() throws IOException {
		Map<String, String> meters = new LinkedHashMap<>();
		for (String line : Files.readAllLines(OBSERVABILITY)) {
			Matcher row = METER_ROW.matcher(line);
			if (row.find()) {
				meters.put(row.group(1), row.group(2));
			}
		}
		return meters;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class PrometheusApplication {

	}

}
