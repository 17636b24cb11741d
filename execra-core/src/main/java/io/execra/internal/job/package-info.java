/**
 * The runtime and each job's lifecycle: admission, the registry of jobs in memory, queries, node recovery, and the driver with its parts (output pump and intake, event sequencing, process end, finalization). Not API, may change without notice.
 */
@NullMarked
package io.execra.internal.job;

import org.jspecify.annotations.NullMarked;
