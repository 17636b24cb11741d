package io.execra;

import java.io.Serializable;
import java.time.Duration;

/**
 * Why a job failed. Sealed: {@link NonZeroExit}, {@link Signaled}, {@link KnownError}, {@link SpawnFailed},
 * {@link TimedOut}, {@link OutputLimitExceeded} and {@link HostExited}.
 */
public sealed interface FailureReason extends Serializable {

	/**
	 * A one-line, human-readable description.
	 * @return the description
	 */
	String describe();

	/**
	 * A short snake_case name for the reason, used as a low-cardinality metric tag and in JSON.
	 * @return the name
	 */
	String kind();

	/**
	 * The process exited with a code that does not count as success.
	 * @param code the exit code
	 */
	record NonZeroExit(int code) implements FailureReason {

		@Override
		public String describe() {
			return "exited with code " + this.code;
		}

		@Override
		public String kind() {
			return "non_zero_exit";
		}

	}

	/**
	 * The process was ended by a signal nobody in execra sent.
	 * @param signal the signal number
	 */
	record Signaled(int signal) implements FailureReason {

		@Override
		public String describe() {
			return "ended by signal " + this.signal;
		}

		@Override
		public String kind() {
			return "signaled";
		}

	}

	/**
	 * An interpreter recognised an error the tool reported.
	 * @param code a stable code such as {@code auth_failed}
	 * @param message the human-readable text
	 */
	record KnownError(String code, String message) implements FailureReason {

		public KnownError {
			Checks.notEmpty(code, "code");
			Checks.notNull(message, "message");
		}

		@Override
		public String describe() {
			return this.message;
		}

		@Override
		public String kind() {
			return "known_error";
		}

	}

	/**
	 * The process could not be started: missing program, not executable, bad working directory...
	 * @param error the operating system's error text, naming the program
	 */
	record SpawnFailed(String error) implements FailureReason {

		public SpawnFailed {
			Checks.notNull(error, "error");
		}

		@Override
		public String describe() {
			return "could not start: " + this.error;
		}

		@Override
		public String kind() {
			return "spawn_failed";
		}

	}

	/**
	 * The job ran past its timeout and was killed.
	 * @param after the timeout that expired
	 */
	record TimedOut(Duration after) implements FailureReason {

		public TimedOut {
			Checks.notNull(after, "after");
		}

		@Override
		public String describe() {
			return "timed out after " + after;
		}

		@Override
		public String kind() {
			return "timed_out";
		}

	}

	/**
	 * The job printed more output than allowed and the policy was to fail it.
	 * @param limitBytes the limit in bytes
	 */
	record OutputLimitExceeded(long limitBytes) implements FailureReason {

		@Override
		public String describe() {
			return "output exceeded the limit of " + this.limitBytes + " bytes";
		}

		@Override
		public String kind() {
			return "output_limit_exceeded";
		}

	}

	/**
	 * The application instance that ran the job stopped before the job finished (crash, kill -9, power).
	 * @param detail what was found, e.g. which node was silent
	 */
	record HostExited(String detail) implements FailureReason {

		public HostExited {
			Checks.notNull(detail, "detail");
		}

		@Override
		public String describe() {
			return "host process exited: " + this.detail;
		}

		@Override
		public String kind() {
			return "host_exited";
		}

	}

}
