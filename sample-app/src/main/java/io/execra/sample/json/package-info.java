/**
 * JSON of execra's types: events with their {@code kind}, progress with its fraction, outcomes and failure
 * reasons with theirs.
 */
@NullMarked
package io.execra.sample.json;

import org.jspecify.annotations.NullMarked;
