/**
 * Interpreters turn a tool's output lines into typed progress, phases, warnings and findings.
 */
@NullMarked
package io.execra.interpret;

import org.jspecify.annotations.NullMarked;
