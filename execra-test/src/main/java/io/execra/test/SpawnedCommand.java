package io.execra.test;

import java.util.Map;

import io.execra.Command;
import io.execra.JobId;
import org.jspecify.annotations.Nullable;

/**
 * A command a {@link ExecraTestRuntime} was asked to run, as it would have reached the process.
 *
 * @param jobId the job it became
 * @param preset the preset it was rendered from, or {@code null} for a command spawned directly
 * @param parameters the preset's parameters as given (empty for a command spawned directly)
 * @param command the command, with the preset's placeholders rendered
 */
public record SpawnedCommand(JobId jobId, @Nullable String preset, Map<String, String> parameters, Command command) {

	public SpawnedCommand {
		parameters = Map.copyOf(parameters);
	}

	/**
	 * The program and its rendered arguments.
	 * @return the argument vector
	 */
	public java.util.List<String> argv() {
		return this.command.argv();
	}

}
