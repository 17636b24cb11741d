package io.execra;

/**
 * A point-in-time view of a runtime's load.
 *
 * @param running jobs holding a concurrency permit
 * @param queued jobs waiting for one
 * @param maxConcurrent the concurrency limit
 * @param queueCapacity the queue limit
 * @param accepting whether {@code spawn} accepts new jobs (false while shutting down)
 */
public record RuntimeStats(int running, int queued, int maxConcurrent, int queueCapacity, boolean accepting) {
}
