package io.execra.internal.cluster;

import java.util.List;

import io.execra.cluster.ClusterStore;
import io.execra.cluster.ClusterView;
import io.execra.cluster.NodeInfo;
import io.execra.cluster.NodeLease;
import org.jspecify.annotations.Nullable;

/**
 * What a runtime in cluster mode shows of itself: its lease as it reckons it, the nodes as the store shows them,
 * its counters.
 */
public final class NodeView implements ClusterView {

	private final NodeMembership membership;

	private final ClusterStore store;

	private final ClusterCounters counters;

	/**
	 * @param membership the node's lease
	 * @param store the cluster store
	 * @param counters the node's counters
	 */
	public NodeView(NodeMembership membership, ClusterStore store, ClusterCounters counters) {
		this.membership = membership;
		this.store = store;
		this.counters = counters;
	}

	@Override
	public String nodeId() {
		return this.membership.nodeId();
	}

	@Override
	public @Nullable NodeLease lease() {
		return this.membership.current();
	}

	@Override
	public boolean leaseHeld() {
		return this.membership.current() != null;
	}

	@Override
	public List<NodeInfo> nodes() {
		return this.store.nodes();
	}

	@Override
	public Stats stats() {
		return this.counters.stats();
	}

}
