package io.execra.internal.store;

import java.util.List;

import io.execra.Event;
import io.execra.Job;

/**
 * Where the writer's batches go instead of the store's own {@link io.execra.store.JobStore#write}: in cluster mode,
 * the cluster store's writes fenced by the node's lease. A sink that throws is retried as a failing store is; one
 * that returns took the batch, or dropped what no longer belongs to this node.
 */
@FunctionalInterface
public interface BatchSink {

	/**
	 * Writes a batch in one transaction.
	 * @param jobs the snapshots
	 * @param events the events
	 */
	void write(List<Job> jobs, List<Event> events);

}
