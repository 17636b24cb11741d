package io.execra.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a runtime takes part in a cluster.
 *
 * @param store the shared table
 * @param lease how long a node's lease holds without a heartbeat; a node that cannot renew it for that long kills
 * its processes and stops writing, and other nodes rescue its jobs once it lapsed
 * @param heartbeatInterval how often the lease is renewed (and dead nodes looked for); less than half the lease
 * @param claimBatch the most jobs claimed in one statement
 * @param pollInterval how often a node polls for queued jobs and cancel requests where signals are missing
 * @param limits cluster-wide concurrency limits by group (preset name or tag)
 */
public record ClusterSettings(ClusterStore store, Duration lease, Duration heartbeatInterval, int claimBatch,
		Duration pollInterval, Map<String, Integer> limits) {

	/** Default {@code lease}. */
	public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);

	/** Default {@code heartbeatInterval}. */
	public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(2);

	/** Default {@code claimBatch}. */
	public static final int DEFAULT_CLAIM_BATCH = 32;

	/** Default {@code pollInterval}. */
	public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

	public ClusterSettings {
		Objects.requireNonNull(store, "store");
		positive(lease, "lease");
		positive(heartbeatInterval, "heartbeatInterval");
		positive(pollInterval, "pollInterval");
		if (heartbeatInterval.multipliedBy(2).compareTo(lease) > 0) {
			throw new IllegalArgumentException("heartbeatInterval (" + heartbeatInterval
					+ ") must be at most half the lease (" + lease + "), or one late heartbeat loses the lease");
		}
		if (claimBatch < 1) {
			throw new IllegalArgumentException("claimBatch must be at least 1, not " + claimBatch);
		}
		limits = Map.copyOf(limits);
		limits.forEach((group, max) -> {
			if (max < 1) {
				throw new IllegalArgumentException("The limit of group '" + group + "' must be at least 1, not " + max);
			}
		});
	}

	/**
	 * @param store the shared table
	 * @return the default settings on that store
	 */
	public static ClusterSettings of(ClusterStore store) {
		return new ClusterSettings(store, DEFAULT_LEASE, DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_CLAIM_BATCH,
				DEFAULT_POLL_INTERVAL, Map.of());
	}

	private static void positive(Duration value, String name) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, not " + value);
		}
	}

}
