package io.execra.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.execra.cluster.ClusterSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code execra.cluster.*}, {@code execra.limits.*} and the cluster properties of presets: their
 * defaults are the core's, they bind, and a bad value or a missing cluster store is refused at startup naming the
 * property and what is needed.
 */
class ExecraClusterPropertiesTests {

	private final ApplicationContextRunner binding = new ApplicationContextRunner()
		.withUserConfiguration(BindingConfiguration.class);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ExecraAutoConfiguration.class));

	@Test
	void defaultsAreTheCoreDefaultsAndClusterModeIsOff() {
		ExecraProperties properties = new ExecraProperties();
		ExecraClusterProperties cluster = properties.getCluster();
		assertThat(cluster.isEnabled()).isFalse();
		assertThat(cluster.getLease()).isEqualTo(ClusterSettings.DEFAULT_LEASE);
		assertThat(cluster.getHeartbeatInterval()).isEqualTo(ClusterSettings.DEFAULT_HEARTBEAT_INTERVAL);
		assertThat(cluster.getClaimBatch()).isEqualTo(ClusterSettings.DEFAULT_CLAIM_BATCH);
		assertThat(cluster.getPollInterval()).isEqualTo(ClusterSettings.DEFAULT_POLL_INTERVAL);
		assertThat(cluster.isNotify()).isTrue();
		assertThat(properties.getLimits()).isEmpty();
		ExecraCommandProperties preset = new ExecraCommandProperties();
		assertThat(preset.isRestartable()).isFalse();
		assertThat(preset.getPriority()).isZero();
	}

	@Test
	void clusterPropertiesBind() {
		this.binding
			.withPropertyValues("execra.cluster.enabled=true", "execra.cluster.lease=30",
					"execra.cluster.heartbeat-interval=5s", "execra.cluster.claim-batch=8",
					"execra.cluster.poll-interval=250ms", "execra.cluster.notify=false",
					"execra.limits.media.max-concurrent=2", "execra.limits.nightly-report.max-concurrent=1",
					"execra.commands.thumbnail.program=ffmpeg", "execra.commands.thumbnail.restartable=true",
					"execra.commands.thumbnail.priority=10")
			.run((context) -> {
				ExecraProperties properties = context.getBean(ExecraProperties.class);
				ExecraClusterProperties cluster = properties.getCluster();
				assertThat(cluster.isEnabled()).isTrue();
				assertThat(cluster.getLease()).as("seconds without a suffix").isEqualTo(Duration.ofSeconds(30));
				assertThat(cluster.getHeartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
				assertThat(cluster.getClaimBatch()).isEqualTo(8);
				assertThat(cluster.getPollInterval()).isEqualTo(Duration.ofMillis(250));
				assertThat(cluster.isNotify()).isFalse();
				assertThat(properties.getLimits()).containsOnlyKeys("media", "nightly-report");
				assertThat(properties.getLimits().get("media").getMaxConcurrent()).isEqualTo(2);
				assertThat(properties.getLimits().get("nightly-report").getMaxConcurrent()).isEqualTo(1);
				ExecraCommandProperties thumbnail = properties.getCommands().get("thumbnail");
				assertThat(thumbnail.isRestartable()).isTrue();
				assertThat(thumbnail.getPriority()).isEqualTo(10);
			});
	}

	@Test
	void clusterModeWithoutAClusterStoreIsRefusedSayingWhatIsNeeded() {
		this.contextRunner.withPropertyValues("execra.cluster.enabled=true")
			.run((context) -> assertRefused(context.getStartupFailure(), "execra.cluster.enabled",
					"cluster mode needs a ClusterStore bean, and there is none: add the JPA job store"));
	}

	@Test
	void aZeroLeaseIsRefused() {
		assertRefused(Map.of("execra.cluster.lease", "0"), "execra.cluster.lease", "must be positive");
	}

	@Test
	void aHeartbeatLongerThanHalfTheLeaseIsRefused() {
		assertRefused(Map.of("execra.cluster.lease", "10s", "execra.cluster.heartbeat-interval", "6s"),
				"execra.cluster.heartbeat-interval",
				"must be at most half of execra.cluster.lease (PT10S), or one late heartbeat loses the lease");
	}

	@Test
	void aNegativeHeartbeatIsRefused() {
		assertRefused(Map.of("execra.cluster.heartbeat-interval", "-1s"), "execra.cluster.heartbeat-interval",
				"must be positive");
	}

	@Test
	void aZeroPollIntervalIsRefused() {
		assertRefused(Map.of("execra.cluster.poll-interval", "0ms"), "execra.cluster.poll-interval",
				"must be positive");
	}

	@Test
	void aClaimBatchBelowOneIsRefused() {
		assertRefused(Map.of("execra.cluster.claim-batch", "0"), "execra.cluster.claim-batch", "must be at least 1");
	}

	@Test
	void aLimitBelowOneIsRefused() {
		assertRefused(Map.of("execra.limits.media.max-concurrent", "0"), "execra.limits.media.max-concurrent",
				"must be at least 1");
	}

	@Test
	void limitsOutsideClusterModeAreRefused() {
		this.contextRunner.withPropertyValues("execra.limits.media.max-concurrent=2")
			.run((context) -> assertRefused(context.getStartupFailure(), "execra.limits",
					"cluster-wide limits apply in cluster mode only: set execra.cluster.enabled=true"));
	}

	@Test
	void clusterPropertiesAreNotCheckedOutsideClusterMode() {
		this.contextRunner.withPropertyValues("execra.cluster.claim-batch=0")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	/** Starts with cluster mode on and the given properties, and expects the startup to be refused. */
	private void assertRefused(Map<String, String> properties, String property, String reason) {
		String[] values = properties.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		this.contextRunner.withPropertyValues("execra.cluster.enabled=true")
			.withPropertyValues(values)
			.run((context) -> assertRefused(context.getStartupFailure(), property, reason));
	}

	private static void assertRefused(Throwable startupFailure, String property, String reason) {
		assertThat(startupFailure).as("startup failure").isNotNull();
		Throwable failure = startupFailure;
		while (failure != null && !(failure instanceof InvalidExecraPropertyException)) {
			failure = failure.getCause();
		}
		assertThat(failure).as("an InvalidExecraPropertyException behind %s", startupFailure)
			.isInstanceOfSatisfying(InvalidExecraPropertyException.class, (invalid) -> {
				assertThat(invalid.getProperty()).isEqualTo(property);
				assertThat(invalid.getReason()).contains(reason);
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ExecraProperties.class)
	static class BindingConfiguration {

	}

}
