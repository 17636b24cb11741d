package io.execra;

import org.jspecify.annotations.Nullable;

/**
 * A point-in-time view of a runtime's load, including the writer that carries job history to the
 * {@link io.execra.store.JobStore JobStore}. Jobs never wait for the store: while it is unreachable their history queues
 * up ({@code storeBacklog} grows, {@code storeFailure} says why) and is written when it is back.
 *
 * @param running jobs holding a concurrency permit
 * @param queued jobs waiting for one
 * @param maxConcurrent the concurrency limit
 * @param queueCapacity the queue limit
 * @param accepting whether {@code spawn} accepts new jobs (false while shutting down)
 * @param storeBacklog job snapshots and events queued for the store behind the write in progress; grows while the
 * store is unreachable, {@code 0} when it keeps up
 * @param storeFailure the last failed write to the store while no write has succeeded since, or {@code null} when
 * the last write succeeded
 */
public record RuntimeStats(int running, int queued, int maxConcurrent, int queueCapacity, boolean accepting,
		int storeBacklog, @Nullable Throwable storeFailure) {
}
