package io.execra.sample.jobs;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.execra.CommandTemplate;
import io.execra.InvalidPlaceholderException;
import io.execra.sample.setup.SampleWorkspace;

/**
 * The presets of {@code application.yml} that work on files of the {@link SampleWorkspace}: what a client passes
 * by default, which placeholders the server fills itself (the files a job writes: a client never names them), and
 * what to create before they run. The values a client sends are checked by the presets' placeholder rules in
 * {@code application.yml}. Presets not listed here can still be started, with parameters given in full.
 */
enum SamplePreset {

	/** ffmpeg transcodes the test clip, read at {@code speed} times its real-time rate, into a new file. */
	TRANSCODE("transcode", "output") {
		@Override
		Map<String, String> defaults(SampleWorkspace workspace) {
			return Map.of("input", workspace.clipPath().toString(), "speed", "2");
		}

		@Override
		Map<String, String> chosenByServer(SampleWorkspace workspace) {
			return Map.of("output", workspace.newOutputFile("mp4").toString());
		}

		@Override
		void prepare(SampleWorkspace workspace, CommandTemplate template) {
			workspace.clip(template.program());
		}
	},

	/** git clones the demo repository into a new directory. */
	CLONE("clone", "target") {
		@Override
		Map<String, String> defaults(SampleWorkspace workspace) {
			return Map.of("repository", workspace.repositoryPath().toString());
		}

		@Override
		Map<String, String> chosenByServer(SampleWorkspace workspace) {
			return Map.of("target", workspace.newCloneDirectory().toString());
		}

		@Override
		void prepare(SampleWorkspace workspace, CommandTemplate template) {
			workspace.repository(template.program());
		}
	},

	/** The build script (fixed in the preset) runs its phases, then asks whether to deploy. */
	BUILD("build") {
		@Override
		Map<String, String> defaults(SampleWorkspace workspace) {
			return Map.of("project", "demo", "delay", "0.3");
		}

		@Override
		Map<String, String> chosenByServer(SampleWorkspace workspace) {
			return Map.of();
		}

		@Override
		void prepare(SampleWorkspace workspace, CommandTemplate template) {
			workspace.buildScript();
		}
	};

	private final String presetName;

	private final Set<String> placeholdersChosenByServer;

	SamplePreset(String presetName, String... placeholdersChosenByServer) {
		this.presetName = presetName;
		this.placeholdersChosenByServer = Set.of(placeholdersChosenByServer);
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
	 * Refuses a client's value for a placeholder the server fills.
	 * @param parameters the client's values
	 * @throws InvalidPlaceholderException naming the first such placeholder
	 */
	void refuseValuesChosenByServer(Map<String, String> parameters) {
		for (String name : new TreeSet<>(parameters.keySet())) {
			if (this.placeholdersChosenByServer.contains(name)) {
				throw new InvalidPlaceholderException(this.presetName, name,
						"is chosen by the server, which writes the job's files only inside its workspace; leave it out");
			}
		}
	}

	/**
	 * The placeholders a client fills: the preset's, but those the server fills.
	 * @param template the preset
	 * @return their names, sorted
	 */
	Set<String> clientPlaceholders(CommandTemplate template) {
		Set<String> names = new TreeSet<>(template.placeholders());
		names.removeAll(this.placeholdersChosenByServer);
		return names;
	}

	/**
	 * Parameters a client may send to start the preset on the workspace's files.
	 * @param workspace the workspace
	 * @return a value for each placeholder the client fills
	 */
	abstract Map<String, String> defaults(SampleWorkspace workspace);

	/**
	 * Values of the placeholders the server fills: paths the job writes, fresh on every call.
	 * @param workspace the workspace
	 * @return a value for each
	 */
	abstract Map<String, String> chosenByServer(SampleWorkspace workspace);

	/**
	 * Creates the files the preset reads, if they do not exist yet.
	 * @param workspace the workspace
	 * @param template the preset, as configured
	 * @throws io.execra.sample.setup.SetupProgramException if a setup job could not start or find its program
	 */
	abstract void prepare(SampleWorkspace workspace, CommandTemplate template);

}
