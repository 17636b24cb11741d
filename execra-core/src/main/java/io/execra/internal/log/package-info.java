/**
 * Each job's event log: the replay window in chunks, the encoding of undecoded lines (line references and their costs), retained output and the raw output log. Not API, may change without notice.
 */
@NullMarked
package io.execra.internal.log;

import org.jspecify.annotations.NullMarked;
