/**
 * Starting presets: the catalogue the UI shows and the launcher behind {@code POST /api/jobs}.
 */
@NullMarked
package io.execra.sample.jobs;

import org.jspecify.annotations.NullMarked;
