package io.execra.cluster;

import java.time.Instant;

/**
 * A node as the shared table shows it.
 *
 * @param id the node's id
 * @param epoch its current epoch
 * @param joinedAt when it joined with this epoch (database clock)
 * @param leaseUntil until when its lease holds (database clock)
 * @param alive whether the lease still holds now (database clock)
 * @param running the jobs it runs, as of its last heartbeat
 * @param capacity how many jobs it may run at once
 */
public record NodeInfo(String id, long epoch, Instant joinedAt, Instant leaseUntil, boolean alive, int running,
		int capacity) {
}
