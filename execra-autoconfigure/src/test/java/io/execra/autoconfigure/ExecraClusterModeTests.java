package io.execra.autoconfigure;

import java.io.IOException;
import java.net.ServerSocket;

import io.execra.CommandTemplate;
import io.execra.ExecraRuntime;
import io.execra.autoconfigure.actuate.SeverableClusterStore;
import io.execra.store.JobStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default runtime as a cluster node, configured by properties on a real (in-memory) cluster store: its default
 * node id, that named runtimes stay local, and the cluster properties of presets.
 */
class ExecraClusterModeTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ExecraAutoConfiguration.class))
		.withUserConfiguration(ClusterStoreConfiguration.class)
		.withPropertyValues("execra.cluster.enabled=true", "execra.cluster.lease=2s",
				"execra.cluster.heartbeat-interval=500ms");

	@Test
	void theNodeIdOfAWebApplicationIsTheHostNameAndTheServerPort() throws IOException {
		int port = freePort();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WebApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("server.port=" + port, "server.address=127.0.0.1", "execra.cluster.enabled=true")
			.run()) {
			ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
			assertThat(runtime.settings().nodeId()).isEqualTo(ExecraClusterNodeId.hostName() + ":" + port);
			assertThat(runtime.cluster().orElseThrow().nodeId()).isEqualTo(runtime.settings().nodeId());
		}
	}

	@Test
	void withoutAWebServerTheNodeIdIsTheHostNameAndTheProcessId() {
		// server.port means nothing without a web server: the id must not claim a port nothing listens on
		this.contextRunner.withPropertyValues("server.port=8123").run((context) -> {
			String nodeId = context.getBean(ExecraRuntime.class).settings().nodeId();
			assertThat(nodeId).isEqualTo(ExecraClusterNodeId.hostName() + ":pid-" + ProcessHandle.current().pid());
		});
	}

	@Test
	void anUnknownPortFallsBackToTheProcessId() {
		assertThat(ExecraClusterNodeId.of("app-1", 8080, 4711)).isEqualTo("app-1:8080");
		assertThat(ExecraClusterNodeId.of("app-1", 0, 4711)).as("server.port=0").isEqualTo("app-1:pid-4711");
		assertThat(ExecraClusterNodeId.of("app-1", null, 4711)).as("no web server").isEqualTo("app-1:pid-4711");
	}

	@Test
	void aNodeIdSetByPropertyWins() {
		this.contextRunner.withPropertyValues("execra.node-id=blue-1").run((context) -> {
			ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
			assertThat(runtime.settings().nodeId()).isEqualTo("blue-1");
			assertThat(runtime.cluster().orElseThrow().leaseHeld()).isTrue();
		});
	}

	@Test
	void outsideClusterModeTheNodeIdDefaultIsTheCoreOne() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ExecraAutoConfiguration.class))
			.run((context) -> {
				ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
				assertThat(runtime.cluster()).isEmpty();
				assertThat(runtime.settings().nodeId()).doesNotStartWith(ExecraClusterNodeId.hostName() + ":");
			});
	}

	@Test
	void onlyTheDefaultRuntimeIsANode() {
		this.contextRunner.withPropertyValues("execra.node-id=blue-1", "execra.runtimes.media.max-concurrent=1")
			.run((context) -> {
				ExecraRuntime node = context.getBean("execraRuntime", ExecraRuntime.class);
				assertThat(node.cluster()).isPresent();
				ExecraRuntime media = context.getBeansOfType(ExecraRuntime.class)
					.values()
					.stream()
					.filter((runtime) -> runtime != node)
					.findFirst()
					.orElseThrow();
				assertThat(media.cluster()).isEmpty();
				assertThat(media.settings().nodeId()).isEqualTo("blue-1-media");
			});
	}

	@Test
	void presetsCarryRestartableAndPriority() {
		this.contextRunner
			.withPropertyValues("execra.commands.thumbnail.program=ffmpeg",
					"execra.commands.thumbnail.restartable=true", "execra.commands.thumbnail.priority=10",
					"execra.commands.report.program=echo")
			.run((context) -> {
				var presets = context.getBean(ExecraRuntime.class).settings().presets();
				CommandTemplate thumbnail = presets.get("thumbnail");
				assertThat(thumbnail.restartable()).isTrue();
				assertThat(thumbnail.priority()).isEqualTo(10);
				CommandTemplate report = presets.get("report");
				assertThat(report.restartable()).isFalse();
				assertThat(report.priority()).isZero();
			});
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class ClusterStoreConfiguration {

		@Bean
		SeverableClusterStore clusterStore() {
			return new SeverableClusterStore();
		}

		@Bean
		JobStore jobStore(SeverableClusterStore clusterStore) {
			return clusterStore.jobs();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ExecraAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class,
			DispatcherServletAutoConfiguration.class })
	static class WebApplication extends ClusterStoreConfiguration {

	}

}
