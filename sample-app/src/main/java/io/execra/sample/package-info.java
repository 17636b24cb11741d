/**
 * The execra sample: a Spring Boot web app that wraps ffmpeg, git and a scripted build through execra presets.
 */
@NullMarked
package io.execra.sample;

import org.jspecify.annotations.NullMarked;
