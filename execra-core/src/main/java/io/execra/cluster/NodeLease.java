package io.execra.cluster;

/**
 * A node's membership of the cluster: its id and the epoch it joined with. Every write of a running job carries
 * it; the store rejects the writes of a lease that lapsed or was superseded (a new {@link ClusterStore#join}).
 *
 * @param nodeId the node's id
 * @param epoch the epoch of this membership, greater than any earlier one of the same node
 */
public record NodeLease(String nodeId, long epoch) {

	public NodeLease {
		if (nodeId == null || nodeId.isEmpty()) {
			throw new IllegalArgumentException("nodeId must not be empty");
		}
	}

}
