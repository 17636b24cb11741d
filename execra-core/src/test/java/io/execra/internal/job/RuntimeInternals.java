package io.execra.internal.job;

import io.execra.ExecraRuntime;
import io.execra.JobId;

/** Lets tests of other packages see which launcher a runtime built by the builder uses, and how its jobs start. */
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

	/**
	 * @param runtime a runtime built by {@link ExecraRuntime#builder()}
	 * @param id a job it holds
	 * @return whether the job's start is prepared ahead and not used yet
	 */
	public static boolean startPrepared(ExecraRuntime runtime, JobId id) {
		return ((DefaultExecraRuntime) runtime).registry().get(id).launch().prepared();
	}

}
