package io.execra.autoconfigure.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.execra.ExecraRuntime;
import io.execra.Outcome;
import io.execra.cluster.ClusterSettings;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Actuator in cluster mode, over HTTP, with real runtimes: the auto-configured one ({@code node-a}) and a second
 * node built beside it on the same cluster store ({@code node-b}), as another instance would be. The nodes endpoint,
 * the lease in health (DOWN once the node lost it because it could not reach the store for longer than its lease)
 * and the cluster meters.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,metrics,execra",
				"management.endpoint.health.show-details=always", "execra.cluster.enabled=true",
				"execra.cluster.lease=1s", "execra.cluster.heartbeat-interval=200ms",
				"execra.cluster.poll-interval=100ms", "execra.node-id=node-a", "execra.max-concurrent=3",
				"execra.commands.hello.program=echo", "execra.commands.hello.args[0]={what}",
				"execra.commands.hello.tags=greeting", "execra.limits.greeting.max-concurrent=1" })
class ExecraClusterActuatorIntegrationTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private static ExecraRuntime nodeB;

	@LocalServerPort
	int port;

	@Autowired
	ExecraRuntime runtime;

	@Autowired
	SeverableClusterStore store;

	private RestClient http;

	@BeforeEach
	void connect() {
		this.store.severed(false);
		synchronized (ExecraClusterActuatorIntegrationTests.class) {
			if (nodeB == null) {
				nodeB = ExecraRuntime.builder()
					.store(this.store.jobs())
					.nodeId("node-b")
					.maxConcurrent(2)
					.cluster(new ClusterSettings(this.store, Duration.ofSeconds(1), Duration.ofMillis(200), 32,
							Duration.ofMillis(100), Map.of()))
					.build();
			}
		}
		this.http = RestClient.builder()
			.baseUrl("http://localhost:" + this.port + "/actuator")
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.runtime.cluster().orElseThrow().leaseHeld());
	}

	@AfterAll
	static void closeNodeB() {
		if (nodeB != null) {
			nodeB.close();
		}
	}

	@Test
	void theRuntimeIsANodeWithThePropertiesSettings() {
		ClusterSettings cluster = this.runtime.settings().cluster();
		assertThat(cluster).isNotNull();
		assertThat(cluster.store()).isSameAs(this.store);
		assertThat(cluster.lease()).isEqualTo(Duration.ofSeconds(1));
		assertThat(cluster.heartbeatInterval()).isEqualTo(Duration.ofMillis(200));
		assertThat(cluster.pollInterval()).isEqualTo(Duration.ofMillis(100));
		assertThat(cluster.claimBatch()).isEqualTo(ClusterSettings.DEFAULT_CLAIM_BATCH);
		assertThat(cluster.limits()).containsExactly(Map.entry("greeting", 1));
		assertThat(this.runtime.cluster().orElseThrow().nodeId()).isEqualTo("node-a");
	}

	@Test
	void nodesEndpointListsEveryNodeWithItsLeaseRunningJobsAndCapacity() {
		ResponseEntity<Map<String, Object>> response = get("/execra/nodes");

		assertThat(response.getStatusCode().value()).isEqualTo(200);
		Map<String, Object> body = response.getBody();
		assertThat(body).containsEntry("runtime", "default")
			.containsEntry("cluster", true)
			.containsEntry("node", "node-a")
			.containsEntry("leaseHeld", true);
		assertThat(((Number) body.get("epoch")).longValue()).isPositive();
		List<Map<String, Object>> nodes = list(body.get("nodes")).stream().map(ExecraClusterActuatorIntegrationTests::map).toList();
		assertThat(nodes).extracting((node) -> node.get("id")).contains("node-a", "node-b");
		Map<String, Object> a = nodes.stream().filter((node) -> "node-a".equals(node.get("id"))).findFirst().orElseThrow();
		assertThat(a).containsEntry("self", true)
			.containsEntry("alive", true)
			.containsEntry("capacity", 3)
			.containsKeys("epoch", "joinedAt", "leaseUntil", "running");
		Map<String, Object> b = nodes.stream().filter((node) -> "node-b".equals(node.get("id"))).findFirst().orElseThrow();
		assertThat(b).containsEntry("self", false).containsEntry("alive", true).containsEntry("capacity", 2);
	}

	@Test
	void aJobIdIsStillReadAtTheJobsPath() {
		ResponseEntity<Map<String, Object>> unknown = get("/execra/00000000-0000-0000-0000-000000000001");
		assertThat(unknown.getStatusCode().value()).isEqualTo(404);
		ResponseEntity<Map<String, Object>> invalid = get("/execra/nodez");
		assertThat(invalid.getStatusCode().value()).isEqualTo(400);
	}

	@Test
	void healthShowsTheLeaseOfThisNode() {
		ResponseEntity<Map<String, Object>> health = get("/health/execra");

		assertThat(health.getStatusCode().value()).isEqualTo(200);
		assertThat(health.getBody()).containsEntry("status", "UP");
		Map<String, Object> cluster = map(map(map(map(health.getBody().get("details")).get("runtimes")).get("default"))
			.get("cluster"));
		assertThat(cluster).containsEntry("node", "node-a").containsEntry("leaseHeld", true).containsKeys("epoch",
				"leasesLost");
	}

	@Test
	void claimsOfARealJobAreCounted() throws InterruptedException {
		double claims = value("/metrics/execra.cluster.claims?tag=node:node-a", "COUNT");
		double timed = value("/metrics/execra.cluster.claim.latency?tag=node:node-a", "COUNT");

		Outcome outcome = this.runtime.spawn("hello", Map.of("what", "cluster")).await();

		assertThat(outcome).isInstanceOf(Outcome.Succeeded.class);
		assertThat(value("/metrics/execra.cluster.claims?tag=node:node-a&tag=runtime:default", "COUNT"))
			.isEqualTo(claims + 1);
		assertThat(value("/metrics/execra.cluster.claim.latency?tag=node:node-a", "COUNT")).isEqualTo(timed + 1);
		assertThat(value("/metrics/execra.cluster.claim.latency?tag=node:node-a", "TOTAL_TIME")).isNotNegative();
		for (String meter : List.of("execra.cluster.rescues", "execra.cluster.fenced.writes",
				"execra.cluster.leases.lost", "execra.cluster.lease.held")) {
			assertThat(get("/metrics/" + meter + "?tag=node:node-a").getStatusCode().value()).as(meter).isEqualTo(200);
		}
		assertThat(value("/metrics/execra.cluster.lease.held?tag=node:node-a", "VALUE")).isEqualTo(1);
	}

	@Test
	void aNodeCutOffFromTheStoreForLongerThanItsLeaseIsDownUntilItJoinsAgain() {
		double lost = value("/metrics/execra.cluster.leases.lost?tag=node:node-a", "COUNT");

		this.store.severed(true);
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> get("/health/execra").getStatusCode().value() == 503);

		Map<String, Object> down = get("/health/execra").getBody();
		assertThat(down).containsEntry("status", "DOWN");
		assertThat(map(map(map(map(down.get("details")).get("runtimes")).get("default")).get("cluster")))
			.containsEntry("leaseHeld", false)
			.doesNotContainKey("epoch");
		assertThat(value("/metrics/execra.cluster.leases.lost?tag=node:node-a", "COUNT")).isEqualTo(lost + 1);
		assertThat(value("/metrics/execra.cluster.lease.held?tag=node:node-a", "VALUE")).isZero();

		this.store.severed(false);
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> get("/health/execra").getStatusCode().value() == 200);
		assertThat(value("/metrics/execra.cluster.lease.held?tag=node:node-a", "VALUE")).isEqualTo(1);
	}

	private ResponseEntity<Map<String, Object>> get(String path) {
		return this.http.get().uri(path).retrieve().toEntity(JSON);
	}

	private double value(String path, String statistic) {
		ResponseEntity<Map<String, Object>> response = get(path);
		assertThat(response.getStatusCode().value()).as(path).isEqualTo(200);
		return list(response.getBody().get("measurements")).stream()
			.map(ExecraClusterActuatorIntegrationTests::map)
			.filter((m) -> statistic.equals(m.get("statistic")))
			.mapToDouble((m) -> ((Number) m.get("value")).doubleValue())
			.sum();
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
	static class ClusterApplication {

		@Bean
		SeverableClusterStore clusterStore() {
			return new SeverableClusterStore();
		}

		@Bean
		io.execra.store.JobStore jobStore(SeverableClusterStore clusterStore) {
			return clusterStore.jobs();
		}

	}

}
