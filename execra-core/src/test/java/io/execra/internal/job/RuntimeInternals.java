package io.execra.internal.job;

import io.execra.ExecraRuntime;

/** Lets tests of other internal packages see which launcher a runtime built by the builder uses. */
public final class RuntimeInternals {

	private RuntimeInternals() {
	}

	/**
	 * @param runtime a runtime built by {@link ExecraRuntime#builder()}
	 * @return its launch mechanism ({@code posix_spawn}, {@code setsid} or {@code jdk})
	 */
	public static String launchMechanism(ExecraRuntime runtime) {
		return ((DefaultExecraRuntime) runtime).launcher().mechanism();
	}

	/**
	 * @param runtime a runtime built by {@link ExecraRuntime#builder()}
	 * @return how it pumps output ({@code event_loop} or {@code threads})
	 */
	public static String pump(ExecraRuntime runtime) {
		return ((DefaultExecraRuntime) runtime).launcher().pump();
	}

}
