/**
 * Test support for applications built on execra: {@link io.execra.test.ExecraTestRuntime}, a runtime that plays
 * scripted outcomes and events for presets and programs without starting processes, and AssertJ assertions on
 * what was spawned.
 */
@NullMarked
package io.execra.test;

import org.jspecify.annotations.NullMarked;
