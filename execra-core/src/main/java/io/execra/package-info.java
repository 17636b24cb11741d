/**
 * The execra API: commands, jobs, events, outcomes and the runtime that runs them.
 */
@NullMarked
package io.execra;

import org.jspecify.annotations.NullMarked;
