package io.execra.sample.jobs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.execra.Command;
import io.execra.CommandTemplate;
import io.execra.ExecraRuntime;
import io.execra.InvalidPlaceholderException;
import io.execra.JobHandle;
import io.execra.JobRejectedException;
import io.execra.Stdin;
import io.execra.sample.setup.SampleWorkspace;
import io.execra.sample.setup.SetupProgramException;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

/**
 * Starts execra presets the way a web app should: the server decides. A client fills only the placeholders the
 * sample lets it fill, each checked by its rule in {@code application.yml} when the preset is rendered (a name, a
 * number, a path inside the workspace); the server fills the rest (the files a job writes) with fresh paths inside
 * its workspace, and refuses a client's value for them. Only then does it take one of the client's
 * {@link ClientJobLimit slots}, create the workspace files the preset reads and spawn. A refused request starts no
 * process and records no job. Also lists the presets with parameters that work out of the box.
 * <p>
 * The owner comes from the request, so the sample renders the preset's {@link CommandTemplate} itself (then adds
 * the owner) instead of calling {@code runtime.spawn(name, parameters)}. A preset with {@code stdin: pipe} keeps
 * its stdin open, so that its prompts can be answered through {@code POST /api/jobs/{id}/stdin}.
 */
@Service
public class JobLauncher {

	private static final int MAX_OWNER_LENGTH = 100;

	private final ExecraRuntime runtime;

	private final SampleWorkspace workspace;

	private final ClientJobLimit clientJobs;

	/**
	 * Creates the launcher.
	 * @param runtime the runtime whose presets are started
	 * @param workspace the files the sample's presets work on
	 * @param clientJobs the jobs each client has
	 */
	public JobLauncher(ExecraRuntime runtime, SampleWorkspace workspace, ClientJobLimit clientJobs) {
		this.runtime = runtime;
		this.workspace = workspace;
		this.clientJobs = clientJobs;
	}

	/**
	 * Starts a preset.
	 * @param preset the preset's name
	 * @param parameters a value for each placeholder the client fills
	 * @param owner who starts it, or {@code null}
	 * @param client the client's remote address
	 * @return the job
	 * @throws InvalidPlaceholderException for a placeholder the server fills or a value its rule refuses
	 * @throws IllegalArgumentException for an unknown preset, or a missing or unknown parameter
	 * @throws TooManyJobsException if the client has as many queued or running jobs as it may have
	 * @throws JobRejectedException if the runtime does not accept the job (queue full, shutting down, policy)
	 * @throws SetupProgramException if a job that creates the preset's files could not start or find its program;
	 * that job is recorded, failed, and the preset's job is not
	 */
	public JobHandle launch(String preset, Map<String, String> parameters, @Nullable String owner, String client) {
		CommandTemplate template = template(preset);
		if (owner != null && owner.length() > MAX_OWNER_LENGTH) {
			throw new IllegalArgumentException("'owner' must be at most " + MAX_OWNER_LENGTH + " characters long");
		}
		Optional<SamplePreset> sample = SamplePreset.of(preset);
		Map<String, String> values = new HashMap<>(parameters);
		sample.ifPresent((known) -> {
			known.refuseValuesChosenByServer(parameters);
			values.putAll(known.chosenByServer(this.workspace));
		});
		// execra checks every value against the preset's placeholder rules here, before anything runs
		Command command = template.render(values);
		if (owner != null && !owner.isBlank()) {
			command = command.owner(owner);
		}
		ClientJobLimit.Slot slot = this.clientJobs.acquire(client);
		try {
			sample.ifPresent((known) -> known.prepare(this.workspace, template));
			JobHandle job = this.runtime.spawn(command);
			job.outcome().whenComplete((outcome, failure) -> slot.release());
			return job;
		}
		catch (RuntimeException ex) {
			slot.release();
			throw ex;
		}
	}

	/**
	 * The runtime's presets, by name.
	 * @return the presets, each with default parameters when the sample knows it
	 */
	public List<PresetView> presets() {
		return new TreeMap<>(this.runtime.presets()).values().stream().map(this::view).toList();
	}

	private PresetView view(CommandTemplate template) {
		Optional<SamplePreset> sample = SamplePreset.of(template.name());
		Map<String, String> defaults = sample.map((known) -> known.defaults(this.workspace)).orElse(Map.of());
		Set<String> placeholders = sample.map((known) -> known.clientPlaceholders(template))
			.orElse(template.placeholders());
		return new PresetView(template.name(), template.program(), template.tags(), placeholders,
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
