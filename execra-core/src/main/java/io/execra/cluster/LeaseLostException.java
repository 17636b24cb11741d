package io.execra.cluster;

import io.execra.store.StoreException;

/**
 * A write or heartbeat of a node whose lease lapsed or was superseded: the store rejected it, wrote nothing, and
 * the node must kill its processes and stop writing before it joins again.
 */
public class LeaseLostException extends StoreException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param lease the lease that is no longer valid
	 */
	public LeaseLostException(NodeLease lease) {
		super("Node " + lease.nodeId() + " lost its lease (epoch " + lease.epoch() + ")", null);
	}

}
