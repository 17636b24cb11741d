/**
 * Implementation of the runtime; not API, may change without notice. This package holds only what several internal
 * packages use (durations, threads, the wait of readers that poll the store); docs/architecture.md maps the others.
 */
@NullMarked
package io.execra.internal;

import org.jspecify.annotations.NullMarked;
