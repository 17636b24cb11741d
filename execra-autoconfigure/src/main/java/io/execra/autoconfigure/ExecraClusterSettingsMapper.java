package io.execra.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.execra.cluster.ClusterSettings;
import io.execra.cluster.ClusterStore;
import io.execra.store.JobStore;
import org.jspecify.annotations.Nullable;

/**
 * Maps {@code execra.cluster.*} and {@code execra.limits.*} onto {@link ClusterSettings}. The values are checked
 * here, property by property, so that a bad one is reported by its name rather than by the core's setting; the
 * checks are the core's.
 */
final class ExecraClusterSettingsMapper {

	private static final String PREFIX = "execra.cluster";

	private final ExecraProperties properties;

	/**
	 * Reads and checks the cluster properties.
	 * @param properties the properties
	 * @throws InvalidExecraPropertyException naming the first bad property
	 */
	ExecraClusterSettingsMapper(ExecraProperties properties) {
		this.properties = properties;
		check(properties);
	}

	/**
	 * Whether cluster mode is on.
	 * @return {@code execra.cluster.enabled}
	 */
	boolean enabled() {
		return this.properties.getCluster().isEnabled();
	}

	/**
	 * The settings of the default runtime's cluster mode.
	 * @param store the {@link ClusterStore} bean, or {@code null} when there is none
	 * @param jobStore the runtime's job store, which must be the one the nodes share
	 * @return the settings
	 * @throws InvalidExecraPropertyException when there is no store to share
	 */
	ClusterSettings settings(@Nullable ClusterStore store, JobStore jobStore) {
		if (store == null) {
			throw new InvalidExecraPropertyException(PREFIX + ".enabled", true,
					"cluster mode needs a ClusterStore bean, and there is none: add the JPA job store "
							+ "(spring-boot-starter-data-jpa) with a DataSource on PostgreSQL, or MariaDB 10.6+ / "
							+ "MySQL 8 (they poll), shared by every instance of the application; or define a "
							+ "ClusterStore bean");
		}
		if (!jobStore.isShared()) {
			throw new InvalidExecraPropertyException(PREFIX + ".enabled", true,
					"cluster mode needs a job store every instance shares (the JPA store on a database), not "
							+ jobStore.getClass().getSimpleName());
		}
		ExecraClusterProperties cluster = this.properties.getCluster();
		return new ClusterSettings(store, cluster.getLease(), cluster.getHeartbeatInterval(), cluster.getClaimBatch(),
				cluster.getPollInterval(), limits(this.properties));
	}

	private static void check(ExecraProperties properties) {
		ExecraClusterProperties cluster = properties.getCluster();
		if (!cluster.isEnabled()) {
			if (!properties.getLimits().isEmpty()) {
				throw new InvalidExecraPropertyException("execra.limits", properties.getLimits().keySet(),
						"cluster-wide limits apply in cluster mode only: set execra.cluster.enabled=true, or limit "
								+ "one instance with execra.max-concurrent");
			}
			return;
		}
		positive(cluster.getLease(), "lease");
		positive(cluster.getHeartbeatInterval(), "heartbeat-interval");
		positive(cluster.getPollInterval(), "poll-interval");
		if (cluster.getHeartbeatInterval().multipliedBy(2).compareTo(cluster.getLease()) > 0) {
			throw new InvalidExecraPropertyException(PREFIX + ".heartbeat-interval", cluster.getHeartbeatInterval(),
					"must be at most half of " + PREFIX + ".lease (" + cluster.getLease()
							+ "), or one late heartbeat loses the lease");
		}
		if (cluster.getClaimBatch() < 1) {
			throw new InvalidExecraPropertyException(PREFIX + ".claim-batch", cluster.getClaimBatch(),
					"must be at least 1");
		}
		limits(properties);
	}

	private static Map<String, Integer> limits(ExecraProperties properties) {
		Map<String, Integer> limits = new LinkedHashMap<>();
		properties.getLimits().forEach((group, limit) -> {
			String property = "execra.limits." + group + ".max-concurrent";
			Integer max = limit.getMaxConcurrent();
			if (max == null) {
				throw new InvalidExecraPropertyException(property, null,
						"a limit needs max-concurrent: the most jobs of the group running at once on all nodes");
			}
			if (max < 1) {
				throw new InvalidExecraPropertyException(property, max, "must be at least 1");
			}
			limits.put(group, max);
		});
		return limits;
	}

	private static void positive(Duration value, String property) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidExecraPropertyException(PREFIX + "." + property, value, "must be positive");
		}
	}

}
