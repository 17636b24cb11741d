package io.execra.sample.jobs;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import io.execra.sample.setup.SampleWorkspace;

/**
 * The presets of {@code application.yml} that work on files of the {@link SampleWorkspace}: what to pass for
 * their placeholders by default, and what to create before they run. Presets not listed here can still be
 * started, with parameters given in full.
 */
enum SamplePreset {

	/** ffmpeg transcodes the test clip, read at {@code speed} times its real-time rate. */
	TRANSCODE("transcode") {
		@Override
		Map<String, String> defaults(SampleWorkspace workspace) {
			return Map.of("input", workspace.clipPath().toString(), "output",
					workspace.newOutputFile("mp4").toString(), "speed", "2");
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
			return Map.of("repository", workspace.repositoryPath().toString(), "target",
					workspace.newCloneDirectory().toString());
		}

		@Override
		void prepare(SampleWorkspace workspace) {
			workspace.repository();
		}
	},

	/** The build script runs its phases, then asks whether to deploy. */
	BUILD("build") {
		@Override
		Map<String, String> defaults(SampleWorkspace workspace) {
			return Map.of("script", workspace.buildScriptPath().toString(), "project", "demo", "delay", "0.3");
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
	 * Parameters that start the preset on the workspace's files; output paths are fresh on every call.
	 * @param workspace the workspace
	 * @return a value for each placeholder
	 */
	abstract Map<String, String> defaults(SampleWorkspace workspace);

	/**
	 * Creates the files the preset reads, if they do not exist yet.
	 * @param workspace the workspace
	 */
	abstract void prepare(SampleWorkspace workspace);

}
