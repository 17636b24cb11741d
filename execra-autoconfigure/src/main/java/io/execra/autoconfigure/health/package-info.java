/**
 * Actuator health indicator for execra runtimes: load, store reachability, a cluster node's lease and the
 * last retention sweep.
 */
@NullMarked
package io.execra.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
