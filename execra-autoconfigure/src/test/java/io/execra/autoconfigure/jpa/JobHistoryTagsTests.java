package io.execra.autoconfigure.jpa;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.Job;
import io.execra.JobHandle;
import io.execra.JobId;
import io.execra.Outcome;
import io.execra.store.JobStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs listed from the JPA store's history carry all their tags, on each database: several jobs with different tags
 * are read back together, by {@code rt.jobs()}, by a tag query and by the {@code execra} endpoint over HTTP.
 */
class JobHistoryTagsTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	/** Tags per job; "nightly" is on three jobs, so a tag query reads several jobs' tags together too. */
	private static final List<Set<String>> TAGS = List.of(Set.of("media", "nightly"), Set.of("media"),
			Set.of("docs", "nightly", "urgent"), Set.of("nightly"), Set.of());

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql", "mariadb" })
	void afterARestartJobsAndATagQueryListEachJobWithAllItsTags(String platform) throws Exception {
		TestDatabase database = TestDatabase.named(platform);
		String prefix = TestDatabase.uniqueTablePrefix();
		try (ConfigurableApplicationContext context = database.start(prefix)) {
			JobStore store = context.getBean(JobStore.class);
			String node = "tags-" + UUID.randomUUID();
			Map<JobId, Set<String>> expected;
			try (ExecraRuntime runtime = ExecraRuntime.builder().store(store).nodeId(node).build()) {
				expected = runJobs(runtime);
			}
			try (ExecraRuntime restarted = ExecraRuntime.builder().store(store).nodeId(node).build()) {
				assertThat(tagsById(restarted.jobs().list())).isEqualTo(expected);
				assertThat(tagsById(restarted.jobs().tag("nightly").list())).isEqualTo(withTag(expected, "nightly"));
				assertThat(tagsById(restarted.jobs().tag("media").list())).isEqualTo(withTag(expected, "media"));
			}
			finally {
				TestDatabase.dropTables(context.getBean(DataSource.class), prefix);
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql", "mariadb" })
	void theEndpointListsEachJobOfTheHistoryWithAllItsTags(String platform) throws Exception {
		TestDatabase database = TestDatabase.named(platform);
		String prefix = TestDatabase.uniqueTablePrefix();
		// one finalized job in memory: the endpoint lists the others from the store
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WebApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties(database.properties(prefix, "server.port=0", "execra.max-in-memory-jobs=1",
					"management.endpoints.web.exposure.include=execra"))
			.run()) {
			try {
				Map<JobId, Set<String>> expected = runJobs(context.getBean(ExecraRuntime.class));
				RestClient http = RestClient
					.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port")
							+ "/actuator/execra");
				assertThat(endpointTagsById(http, "?limit=100")).isEqualTo(expected);
				assertThat(endpointTagsById(http, "?tag=nightly")).isEqualTo(withTag(expected, "nightly"));
			}
			finally {
				TestDatabase.dropTables(context.getBean(DataSource.class), prefix);
			}
		}
	}

	private static Map<JobId, Set<String>> runJobs(ExecraRuntime runtime) throws InterruptedException {
		List<JobHandle> handles = new ArrayList<>();
		for (Set<String> tags : TAGS) {
			handles.add(runtime.spawn(Command.of("true").tags(List.copyOf(tags))));
		}
		Map<JobId, Set<String>> expected = new LinkedHashMap<>();
		for (int i = 0; i < handles.size(); i++) {
			assertThat(handles.get(i).await()).isInstanceOf(Outcome.Succeeded.class);
			expected.put(handles.get(i).id(), TAGS.get(i));
		}
		return expected;
	}

	private static Map<JobId, Set<String>> tagsById(List<Job> jobs) {
		Map<JobId, Set<String>> tags = new LinkedHashMap<>();
		jobs.forEach((job) -> tags.put(job.id(), job.tags()));
		return tags;
	}

	private static Map<JobId, Set<String>> withTag(Map<JobId, Set<String>> all, String tag) {
		Map<JobId, Set<String>> matching = new LinkedHashMap<>(all);
		matching.values().removeIf((tags) -> !tags.contains(tag));
		return matching;
	}

	@SuppressWarnings("unchecked")
	private static Map<JobId, Set<String>> endpointTagsById(RestClient http, String query) {
		Map<String, Object> page = http.get().uri(query).retrieve().body(JSON);
		Map<JobId, Set<String>> tags = new LinkedHashMap<>();
		for (Object job : (List<Object>) page.get("jobs")) {
			Map<String, Object> summary = (Map<String, Object>) job;
			tags.put(JobId.parse((String) summary.get("id")), new HashSet<>((List<String>) summary.get("tags")));
		}
		return tags;
	}

	/**
	 * A web application with every auto-configuration, the Actuator endpoint among them.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class WebApplication {

	}

}
