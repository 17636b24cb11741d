/**
 * The REST API under {@code /api}: jobs, their output, stdin and cancellation, Server-Sent Events of live events,
 * and errors as problem details.
 */
@NullMarked
package io.execra.sample.web;

import org.jspecify.annotations.NullMarked;
