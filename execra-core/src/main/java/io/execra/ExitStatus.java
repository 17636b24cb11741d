package io.execra;

import java.io.Serializable;

import org.jspecify.annotations.Nullable;

/**
 * How a process ended, as reported by the operating system: an exit code, or the signal that ended it.
 *
 * @param code the exit code, or {@code null} when the process was ended by a signal
 * @param signal the signal number, or {@code null} when the process exited by itself
 */
public record ExitStatus(@Nullable Integer code, @Nullable Integer signal) implements Serializable {

	public ExitStatus {
		if (code == null && signal == null) {
			throw new IllegalArgumentException("'code' or 'signal' must be set");
		}
	}

	/**
	 * An exit with the given code.
	 * @param code the exit code
	 * @return the status
	 */
	public static ExitStatus ofCode(int code) {
		return new ExitStatus(code, null);
	}

	/**
	 * An end by the given signal.
	 * @param signal the signal number (9 for SIGKILL, 15 for SIGTERM)
	 * @return the status
	 */
	public static ExitStatus ofSignal(int signal) {
		return new ExitStatus(null, signal);
	}

	/**
	 * Whether the process exited with code 0.
	 * @return {@code true} only for exit code 0
	 */
	public boolean isSuccess() {
		return this.code != null && this.code == 0;
	}

	@Override
	public String toString() {
		return (this.code != null) ? "exit code " + this.code : "signal " + this.signal;
	}

}
