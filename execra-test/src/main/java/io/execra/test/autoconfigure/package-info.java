/**
 * Spring test wiring for execra: {@link io.execra.test.autoconfigure.AutoConfigureExecraTestRuntime} puts an
 * {@link io.execra.test.ExecraTestRuntime} in place of every execra runtime bean, default and named.
 */
@NullMarked
package io.execra.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
