package io.execra.sample.jobs;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.execra.InvalidPlaceholderException;
import io.execra.sample.setup.SampleWorkspace;

/**
 * The presets of {@code application.yml} that work on files of the {@link SampleWorkspace}: which placeholders a
 * client fills (each with its {@link ParameterRule}) and what it passes by default, which ones the server fills
 * itself (the files a job writes: a client never names them), and what to create before they run. Presets not
 * listed here can still be started, with parameters given in full.
 */
enum SamplePreset {

	/** ffmpeg transcodes the test clip, read at {@code speed} times its real-time rate, into a new file. */
	TRANSCODE("transcode") {
		@Override
		Map<String, String> defaults(SampleWorkspace workspace) {
			return Map.of("input", workspace.clipPath().toString(), "speed", "2");
		}

		@Override
		Map<String, ParameterRule> rules(SampleWorkspace workspace) {
			return Map.of("input", ParameterRule.pathUnder(workspace.clipPath().getParent()), "speed",
					ParameterRule.decimal(100));
		}

		@Override
		Map<String, String> chosenByServer(SampleWorkspace workspace) {
			return Map.of("output", workspace.newOutputFile("mp4").toString());
		}

		@Override
		void prepare(SampleWorkspace workspace) {
			workspace.clip();
		}
	},

	/** git clones the demo repository into a new directory. */
	CLONE("clone") {
		@Override
		Map<String, String> defaults(SampleWorkspace workspace) {
			return Map.of("repository", workspace.repositoryPath().toString());
		}

		@Override
		Map<String, ParameterRule> rules(SampleWorkspace workspace) {
			return Map.of("repository", ParameterRule.pathUnder(workspace.repositoryPath().getParent()));
		}

		@Override
		Map<String, String> chosenByServer(SampleWorkspace workspace) {
			return Map.of("target", workspace.newCloneDirectory().toString());
		}

		@Override
		void prepare(SampleWorkspace workspace) {
			workspace.repository();
		}
	},

	/** The build script (fixed in the preset) runs its phases, then asks whether to deploy. */
	BUILD("build") {
		@Override
		Map<String, String> defaults(SampleWorkspace workspace) {
			return Map.of("project", "demo", "delay", "0.3");
		}

		@Override
		Map<String, ParameterRule> rules(SampleWorkspace workspace) {
			return Map.of("project", ParameterRule.matching("[A-Za-z0-9_][A-Za-z0-9_-]{0,39}"), "delay",
					ParameterRule.decimal(10));
		}

		@Override
		Map<String, String> chosenByServer(SampleWorkspace workspace) {
			return Map.of();
		}

		@Override
		void prepare(SampleWorkspace workspace) {
			workspace.buildScript();
		}
	};

	private final String presetName;

	SamplePreset(String presetName) {
		this.presetName = presetName;
	}

	/**
	 * The sample preset for a preset name.
	 * @param presetName the name in {@code execra.commands}
	 * @return the sample preset, if the name is one
	 */
	static Optional<SamplePreset> of(String presetName) {
		return Arrays.stream(values()).filter((preset) -> preset.presetName.equals(presetName)).findFirst();
	}

	/**
	 * Checks what a client sent: a value for each placeholder it fills, within its rule, and nothing else.
	 * @param parameters the client's values
	 * @param presetPlaceholders all placeholders of the preset, to tell one the server fills from an unknown one
	 * @param workspace the workspace
	 * @return the values to render, normalized by their rules
	 * @throws InvalidPlaceholderException for a value the server fills or one outside its rule
	 * @throws IllegalArgumentException for an unknown or a missing placeholder
	 */
	Map<String, String> check(Map<String, String> parameters, Set<String> presetPlaceholders,
			SampleWorkspace workspace) {
		Map<String, ParameterRule> rules = rules(workspace);
		Set<String> unknown = new TreeSet<>();
		for (String name : parameters.keySet()) {
			if (!rules.containsKey(name) && presetPlaceholders.contains(name)) {
				throw new InvalidPlaceholderException(this.presetName, name,
						"is chosen by the server; leave it out (the client fills " + new TreeSet<>(rules.keySet()) + ")");
			}
			if (!rules.containsKey(name)) {
				unknown.add(name);
			}
		}
		if (!unknown.isEmpty()) {
			throw new IllegalArgumentException("Preset '" + this.presetName + "' has no placeholder " + unknown
					+ " (its placeholders: " + new TreeSet<>(rules.keySet()) + ")");
		}
		Set<String> missing = new TreeSet<>(rules.keySet());
		missing.removeAll(parameters.keySet());
		if (!missing.isEmpty()) {
			throw new IllegalArgumentException("Preset '" + this.presetName + "' needs a value for placeholder "
					+ missing + " (its placeholders: " + new TreeSet<>(rules.keySet()) + ")");
		}
		Map<String, String> checked = new LinkedHashMap<>();
		rules.forEach((name, rule) -> {
			String value = parameters.get(name);
			if (value == null) {
				throw new InvalidPlaceholderException(this.presetName, name, "must not be null");
			}
			checked.put(name, rule.check(this.presetName, name, value));
		});
		return checked;
	}

	/**
	 * The placeholders a client fills.
	 * @param workspace the workspace
	 * @return their names, sorted
	 */
	Set<String> clientPlaceholders(SampleWorkspace workspace) {
		return new TreeSet<>(rules(workspace).keySet());
	}

	/**
	 * Parameters a client may send to start the preset on the workspace's files.
	 * @param workspace the workspace
	 * @return a value for each placeholder the client fills
	 */
	abstract Map<String, String> defaults(SampleWorkspace workspace);

	/**
	 * What the sample accepts for each placeholder a client fills.
	 * @param workspace the workspace
	 * @return a rule per placeholder
	 */
	abstract Map<String, ParameterRule> rules(SampleWorkspace workspace);

	/**
	 * Values of the placeholders the server fills: paths the job writes, fresh on every call.
	 * @param workspace the workspace
	 * @return a value for each
	 */
	abstract Map<String, String> chosenByServer(SampleWorkspace workspace);

	/**
	 * Creates the files the preset reads, if they do not exist yet.
	 * @param workspace the workspace
	 */
	abstract void prepare(SampleWorkspace workspace);

}
