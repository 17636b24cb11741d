/**
 * The {@code execra} Actuator endpoint: list jobs, show one job with its events and output tail, cancel a job.
 */
@NullMarked
package io.execra.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
