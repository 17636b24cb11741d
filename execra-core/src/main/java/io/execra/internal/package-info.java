/**
 * Implementation of the runtime; not API, may change without notice. This package holds only what every internal
 * package uses (durations, threads); docs/architecture.md maps the others.
 */
@NullMarked
package io.execra.internal;

import org.jspecify.annotations.NullMarked;
