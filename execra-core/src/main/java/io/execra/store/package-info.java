/**
 * The JobStore persistence SPI and its in-memory implementation, and the raw-output log files
 * ({@link io.execra.store.OutputLogFiles}).
 */
@NullMarked
package io.execra.store;

import org.jspecify.annotations.NullMarked;
