/**
 * Events to their readers: one job's stream over its event log, all-jobs subscriptions and their fan-out, stored-event streams, listeners. Not API, may change without notice.
 */
@NullMarked
package io.execra.internal.delivery;

import org.jspecify.annotations.NullMarked;
