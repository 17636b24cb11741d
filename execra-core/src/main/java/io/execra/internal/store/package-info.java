/**
 * The writer that hands job snapshots and events to the {@link io.execra.store.JobStore}, off the process path, and
 * its policies: the queue, group commit, retry, refused records, durability. Not API, may change without notice.
 */
@NullMarked
package io.execra.internal.store;

import org.jspecify.annotations.NullMarked;
