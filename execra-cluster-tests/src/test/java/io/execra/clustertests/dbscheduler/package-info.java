/**
 * The baseline of the cluster throughput benchmark: db-scheduler instances in child JVMs.
 */
@NullMarked
package io.execra.clustertests.dbscheduler;

import org.jspecify.annotations.NullMarked;
