/**
 * Cluster mode on the runtime's side: the node's lease and its heartbeat, the claim loop, writes fenced by the
 * lease, signals and the wake-ups of readers of jobs that run on other nodes. It knows nothing of a job's lifecycle:
 * {@code internal.job} runs what this claims. Not API, may change without notice.
 */
@NullMarked
package io.execra.internal.cluster;

import org.jspecify.annotations.NullMarked;
