package io.execra.sample.jobs;

import java.util.Map;
import java.util.Set;

/**
 * A preset as the UI shows it.
 *
 * @param name the preset's name in {@code execra.commands}
 * @param program the program it runs
 * @param tags its tags
 * @param placeholders the parameters a client fills (the server fills the others)
 * @param defaults parameters that start it on the sample's own files (empty for presets the sample does not
 * know)
 * @param interactive whether it reads answers from stdin
 */
public record PresetView(String name, String program, Set<String> tags, Set<String> placeholders,
		Map<String, String> defaults, boolean interactive) {

}
