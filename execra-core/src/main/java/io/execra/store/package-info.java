/**
 * The JobStore persistence SPI and its in-memory implementation.
 */
@NullMarked
package io.execra.store;

import org.jspecify.annotations.NullMarked;
