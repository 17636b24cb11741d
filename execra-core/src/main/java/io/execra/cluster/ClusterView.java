package io.execra.cluster;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a runtime in cluster mode shows of itself and of the cluster: for Actuator, health and metrics.
 */
public interface ClusterView {

	/** @return this node's id */
	String nodeId();

	/** @return this node's current lease, or {@code null} while it holds none (lost, not yet joined again) */
	@Nullable NodeLease lease();

	/** @return whether this node holds its lease now: {@code false} after it lost it, until it joins again */
	boolean leaseHeld();

	/** @return the nodes of the cluster, as the shared table shows them */
	List<NodeInfo> nodes();

	/** @return this node's counters since it started */
	Stats stats();

	/**
	 * Counters of one node.
	 * @param claims jobs this node claimed
	 * @param claimLatencyNanos the sum, over those claims, of the time from queued to claimed (database clock)
	 * @param rescues jobs of dead nodes this node rescued (finalized or queued again)
	 * @param fencedWrites records the store refused because this node's lease had lapsed or another owned the job
	 * @param leasesLost times this node lost its lease
	 */
	record Stats(long claims, long claimLatencyNanos, long rescues, long fencedWrites, long leasesLost) {
	}

}
