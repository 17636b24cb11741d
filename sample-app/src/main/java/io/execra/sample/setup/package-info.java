/**
 * The sample's workspace: the test clip, the demo repository and the build script the presets work on, created
 * on first use.
 */
@NullMarked
package io.execra.sample.setup;

import org.jspecify.annotations.NullMarked;
