package io.execra.autoconfigure.endpoint;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.execra.ExecraRuntime;
import io.execra.cluster.ClusterView;
import io.execra.cluster.NodeInfo;
import io.execra.cluster.NodeLease;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * The JSON shape of {@code GET /actuator/execra/nodes}: the nodes of the cluster as the shared table shows them, and
 * this node's own lease.
 */
public final class NodeDescriptors {

	private NodeDescriptors() {
	}

	static NodesDescriptor of(String runtimeName, ExecraRuntime runtime) {
		Optional<ClusterView> cluster = runtime.cluster();
		if (cluster.isEmpty()) {
			return new NodesDescriptor(runtimeName, false, runtime.settings().nodeId(), false, null, List.of());
		}
		ClusterView view = cluster.get();
		NodeLease lease = view.lease();
		List<NodeDescriptor> nodes = view.nodes()
			.stream()
			.map((node) -> node(node, view.nodeId()))
			.toList();
		return new NodesDescriptor(runtimeName, true, view.nodeId(), view.leaseHeld(),
				(lease != null) ? lease.epoch() : null, nodes);
	}

	private static NodeDescriptor node(NodeInfo node, String self) {
		return new NodeDescriptor(node.id(), node.id().equals(self), node.epoch(), node.joinedAt(), node.leaseUntil(),
				node.alive(), node.running(), node.capacity());
	}

	/**
	 * The nodes of a cluster.
	 *
	 * @param runtime the runtime asked (the default one; only it can be a node)
	 * @param cluster whether the runtime is in cluster mode; when not, {@code nodes} is empty
	 * @param node this instance's node id
	 * @param leaseHeld whether this node holds its lease now
	 * @param epoch the epoch of this node's lease, or {@code null} while it holds none
	 * @param nodes every node the shared table knows, live or not, by id
	 */
	public record NodesDescriptor(String runtime, boolean cluster, String node, boolean leaseHeld,
			@Nullable Long epoch, List<NodeDescriptor> nodes) implements OperationResponseBody {
	}

	/**
	 * A node of the cluster. Times are the database's clock.
	 *
	 * @param id the node's id
	 * @param self whether it is this instance
	 * @param epoch its current epoch
	 * @param joinedAt when it joined with that epoch
	 * @param leaseUntil until when its lease holds
	 * @param alive whether its lease still holds
	 * @param running the jobs it runs, as of its last heartbeat
	 * @param capacity how many jobs it may run at once
	 */
	public record NodeDescriptor(String id, boolean self, long epoch, Instant joinedAt, Instant leaseUntil,
			boolean alive, int running, int capacity) {
	}

}
