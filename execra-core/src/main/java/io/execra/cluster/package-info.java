/**
 * Cluster mode: several runtimes (application instances) on one shared database behave as one execra. The
 * {@link io.execra.cluster.ClusterStore} SPI is the shared table (nodes with leases on the database clock, the
 * queue claimed with {@code SKIP LOCKED}, fenced writes, rescue of dead nodes' jobs, cancel requests); the runtime
 * does the rest. {@link io.execra.cluster.ClusterView} is what a runtime in cluster mode shows of itself.
 */
@NullMarked
package io.execra.cluster;

import org.jspecify.annotations.NullMarked;
