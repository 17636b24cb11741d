package io.execra.internal.job;

import java.nio.file.Path;
import java.util.Map;

import io.execra.Command;
import io.execra.CommandLimits;
import io.execra.CommandSpec;
import io.execra.JobRejectedException;
import io.execra.SecurityPolicy;
import io.execra.internal.process.ProcessLauncher;
import org.jspecify.annotations.Nullable;

/**
 * The checks a command passes before it becomes a job: the command limits, then the security policy, which also
 * gives the environment the job inherits and the spec with its secrets redacted.
 */
final class CommandChecks {

	private final SecurityPolicy policy;

	private final ProcessLauncher launcher;

	/**
	 * @param policy the runtime's security policy
	 * @param launcher resolves the program, for a policy that allows only some programs
	 */
	CommandChecks(SecurityPolicy policy, ProcessLauncher launcher) {
		this.policy = policy;
		this.launcher = launcher;
	}

	/**
	 * @param command the command to spawn
	 * @return the command as admitted, with its environment and redacted spec
	 * @throws JobRejectedException when the policy rejects the command
	 */
	Checked check(Command command) {
		Map<String, String> environment = command.environment(this.policy.inheritedEnvironment(System.getenv()));
		// before the policy's checks, whose patterns would scan an argument of any length
		command = CommandLimits.admit(command, environment);
		String rejection = this.policy.rejectionReason(command, resolveQuietly(command, environment));
		if (rejection != null) {
			throw new JobRejectedException("Job rejected: " + rejection);
		}
		return new Checked(command, environment, this.policy.redactedSpec(command));
	}

	private @Nullable Path resolveQuietly(Command command, Map<String, String> environment) {
		if (this.policy.allowedPrograms().isEmpty()) {
			return null;
		}
		try {
			return this.launcher.resolve(command, environment);
		}
		catch (ProcessLauncher.SpawnException ex) {
			return null;
		}
	}

	/**
	 * A command that passed the checks.
	 *
	 * @param command the command, as the limits admitted it
	 * @param environment the job's environment
	 * @param spec the command as jobs, events and the store show it, secrets redacted
	 */
	record Checked(Command command, Map<String, String> environment, CommandSpec spec) {
	}

}
