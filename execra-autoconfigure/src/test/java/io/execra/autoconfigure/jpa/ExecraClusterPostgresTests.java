package io.execra.autoconfigure.jpa;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Outcome;
import io.execra.autoconfigure.ExecraAutoConfiguration;
import io.execra.autoconfigure.endpoint.ExecraEndpoint;
import io.execra.autoconfigure.endpoint.NodeDescriptors.NodeDescriptor;
import io.execra.autoconfigure.endpoint.NodeDescriptors.NodesDescriptor;
import io.execra.autoconfigure.health.ExecraHealthIndicator;
import io.execra.autoconfigure.metrics.ExecraRuntimeMeterBinder;
import io.execra.cluster.ClusterStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application instances (two contexts, as two JVMs would have) configured by {@code execra.cluster.*} on one
 * real PostgreSQL database with the JDBC cluster store: the nodes endpoint, health and the cluster meters of each
 * see the real cluster, and a preset job spawned on one node is claimed exactly once by one of them.
 */
class ExecraClusterPostgresTests {

	private final TestDatabase database = TestDatabase.postgresql();

	private final String tablePrefix = TestDatabase.uniqueTablePrefix();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	@AfterEach
	void close() {
		DataSource dataSource = this.contexts.isEmpty() ? null : this.contexts.get(0).getBean(DataSource.class);
		for (int i = this.contexts.size() - 1; i >= 1; i--) {
			this.contexts.get(i).close();
		}
		if (dataSource != null) {
			TestDatabase.dropTables(dataSource, this.tablePrefix);
			this.contexts.get(0).close();
		}
	}

	@Test
	void twoInstancesOnOneDatabaseAreOneClusterInTheEndpointHealthAndMeters() throws InterruptedException {
		ExecraRuntime a = start("node-a", 2);
		ExecraRuntime b = start("node-b", 3);
		ExecraEndpoint endpoint = new ExecraEndpoint(() -> Map.of("default", a));
		SimpleMeterRegistry metersOfA = new SimpleMeterRegistry();
		SimpleMeterRegistry metersOfB = new SimpleMeterRegistry();
		new ExecraRuntimeMeterBinder(() -> Map.of("default", a)).bindTo(metersOfA);
		new ExecraRuntimeMeterBinder(() -> Map.of("default", b)).bindTo(metersOfB);

		NodesDescriptor nodes = endpoint.nodes(null);
		assertThat(nodes.cluster()).isTrue();
		assertThat(nodes.node()).isEqualTo("node-a");
		assertThat(nodes.leaseHeld()).isTrue();
		assertThat(nodes.nodes()).extracting(NodeDescriptor::id).containsExactlyInAnyOrder("node-a", "node-b");
		assertThat(nodes.nodes()).allSatisfy((node) -> assertThat(node.alive()).isTrue());
		assertThat(nodes.nodes()).filteredOn(NodeDescriptor::self).extracting(NodeDescriptor::capacity).containsExactly(2);
		assertThat(nodes.nodes()).filteredOn((node) -> !node.self()).extracting(NodeDescriptor::capacity).containsExactly(3);

		List<JobHandle> jobs = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			jobs.add(a.spawn("hello", Map.of("what", "job-" + i)));
		}
		Set<String> ranOn = new HashSet<>();
		for (JobHandle job : jobs) {
			assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
			ranOn.add(a.job(job.id()).orElseThrow().node());
		}
		assertThat(ranOn).isSubsetOf("node-a", "node-b");
		double claimsOfA = claims(metersOfA, "node-a");
		double claimsOfB = claims(metersOfB, "node-b");
		assertThat(claimsOfA + claimsOfB).as("every job claimed once, by one of the nodes").isEqualTo(12);

		Health health = new ExecraHealthIndicator(() -> Map.of("default", b), () -> null, java.time.Clock.systemUTC())
			.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		@SuppressWarnings("unchecked")
		Map<String, Object> cluster = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) health
			.getDetails()
			.get("runtimes")).get("default")).get("cluster");
		assertThat(cluster).containsEntry("node", "node-b").containsEntry("leaseHeld", true);
	}

	@Test
	void notifyOffMakesNodesPollInsteadOfListening() {
		assertThat(start("node-listens", 1, "execra.cluster.notify=true")).satisfies((runtime) -> assertThat(
				this.contexts.get(this.contexts.size() - 1).getBean(ClusterStore.class).signals())
			.as("PostgreSQL wakes nodes by LISTEN/NOTIFY by default")
			.isPresent());
		start("node-polls", 1, "execra.cluster.notify=false");
		assertThat(this.contexts.get(this.contexts.size() - 1).getBean(ClusterStore.class).signals())
			.as("behind a transaction pooler nodes must poll")
			.isEmpty();
	}

	private static double claims(SimpleMeterRegistry registry, String node) {
		FunctionCounter counter = registry.get("execra.cluster.claims").tag("node", node).functionCounter();
		return counter.count();
	}

	private ExecraRuntime start(String nodeId, int maxConcurrent, String... more) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ClusterApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.datasource.url=" + this.database.url(),
					"spring.datasource.username=" + this.database.username(),
					"spring.datasource.password=" + this.database.password(), "spring.jpa.hibernate.ddl-auto=validate",
					"spring.jpa.open-in-view=false", "execra.jdbc.initialize-schema=always",
					"execra.jdbc.table-prefix=" + this.tablePrefix, "spring.main.banner-mode=off",
					"execra.cluster.enabled=true", "execra.cluster.lease=4s", "execra.cluster.heartbeat-interval=1s",
					"execra.cluster.poll-interval=200ms", "execra.node-id=" + nodeId,
					"execra.max-concurrent=" + maxConcurrent, "execra.commands.hello.program=echo",
					"execra.commands.hello.args[0]={what}")
			.properties(more)
			.run();
		this.contexts.add(context);
		return context.getBean(ExecraRuntime.class);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
			DataJpaRepositoriesAutoConfiguration.class, ExecraJpaAutoConfiguration.class, ExecraAutoConfiguration.class })
	static class ClusterApplication {

	}

}
