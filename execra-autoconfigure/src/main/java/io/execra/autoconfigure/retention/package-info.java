/**
 * Retention of job history: deletes finalized jobs, their events, findings and raw-output files by age and count.
 */
@NullMarked
package io.execra.autoconfigure.retention;

import org.jspecify.annotations.NullMarked;
