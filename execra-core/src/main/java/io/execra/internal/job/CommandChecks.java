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
		Resolution program = resolve(command, environment);
		String rejection = this.policy.rejectionReason(command, program.path());
		if (rejection != null) {
			throw new JobRejectedException("Job rejected: " + rejection + program.whyNotMatched(this.policy));
		}
		return new Checked(command, environment, this.policy.redactedSpec(command));
	}

	private Resolution resolve(Command command, Map<String, String> environment) {
		if (this.policy.allowedPrograms().isEmpty()) {
			return new Resolution(null, null);
		}
		try {
			return new Resolution(this.launcher.resolve(command, environment), null);
		}
		catch (ProcessLauncher.SpawnException ex) {
			return new Resolution(null, ex.getMessage());
		}
	}

	/**
	 * The program's executable, as the policy's entries given by path are matched against it.
	 *
	 * @param path the executable, or {@code null} when not resolved
	 * @param error why it could not be resolved, or {@code null}
	 */
	private record Resolution(@Nullable Path path, @Nullable String error) {

		/**
		 * A missing program cannot match an entry given by path, even one naming it: say so, or the rejection
		 * reads as if the allowed programs did not list it.
		 */
		String whyNotMatched(SecurityPolicy policy) {
			boolean byPath = policy.allowedPrograms().stream().anyMatch((allowed) -> allowed.contains("/")
					|| allowed.contains("\\"));
			return (this.error != null && byPath) ? " (allowed programs given by path match the executable the "
					+ "program resolves to, and it resolves to none: " + this.error + ")" : "";
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
