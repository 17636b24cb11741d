package io.execra.sample.jobs;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.execra.Command;
import io.execra.CommandTemplate;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.JobRejectedException;
import io.execra.Stdin;
import io.execra.sample.setup.SampleWorkspace;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

/**
 * Starts execra presets: checks the parameters (execra renders the preset and names a missing or unknown
 * placeholder), creates the workspace files the preset reads, sets the owner, and spawns. Also lists the presets
 * with parameters that work out of the box.
 * <p>
 * The owner comes from the request, so the sample renders the preset's {@link CommandTemplate} itself (then adds
 * the owner) instead of calling {@code runtime.spawn(name, parameters)}. A preset with {@code stdin: pipe} keeps
 * its stdin open, so that its prompts can be answered through {@code POST /api/jobs/{id}/stdin}.
 */
@Service
public class JobLauncher {

	private final ExecraRuntime runtime;

	private final SampleWorkspace workspace;

	/**
	 * Creates the launcher.
	 * @param runtime the runtime whose presets are started
	 * @param workspace the files the sample's presets work on
	 */
	public JobLauncher(ExecraRuntime runtime, SampleWorkspace workspace) {
		this.runtime = runtime;
		this.workspace = workspace;
	}

	/**
	 * Starts a preset.
	 * @param preset the preset's name
	 * @param parameters a value for each of its placeholders
	 * @param owner who starts it, or {@code null}
	 * @return the job
	 * @throws IllegalArgumentException for an unknown preset, or a missing or unknown parameter
	 * @throws JobRejectedException if the runtime does not accept the job (queue full, shutting down, policy)
	 */
	public JobHandle launch(String preset, Map<String, String> parameters, @Nullable String owner) {
		CommandTemplate template = template(preset);
		Command command = template.render(parameters);
		if (owner != null && !owner.isBlank()) {
			command = command.owner(owner);
		}
		SamplePreset.of(preset).ifPresent((sample) -> sample.prepare(this.workspace));
		return this.runtime.spawn(command);
	}

	/**
	 * The runtime's presets, by name.
	 * @return the presets, each with default parameters when the sample knows it
	 */
	public List<PresetView> presets() {
		return new TreeMap<>(this.runtime.presets()).values().stream().map(this::view).toList();
	}

	private PresetView view(CommandTemplate template) {
		Map<String, String> defaults = SamplePreset.of(template.name())
			.map((sample) -> sample.defaults(this.workspace))
			.orElse(Map.of());
		return new PresetView(template.name(), template.program(), template.tags(), template.placeholders(),
				new TreeMap<>(defaults), template.stdin() instanceof Stdin.Pipe);
	}

	private CommandTemplate template(String preset) {
		CommandTemplate template = this.runtime.presets().get(preset);
		if (template == null) {
			throw new IllegalArgumentException(
					"Unknown preset '" + preset + "' (known presets: " + new TreeMap<>(this.runtime.presets()).keySet() + ")");
		}
		return template;
	}

}
