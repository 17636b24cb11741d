/**
 * Micrometer meters and observations for execra runtimes, named {@code execra.*} with low-cardinality tags.
 */
@NullMarked
package io.execra.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
