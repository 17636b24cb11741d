package io.execra.internal.job;

import io.execra.ExecraRuntime;
import io.execra.ExecraSettings;

/**
 * The one way into the runtime's implementation from the API package: {@link io.execra.ExecraRuntimeBuilder} builds
 * through it, so the implementation itself need not be public. Not API.
 */
public final class RuntimeFactory {

	private RuntimeFactory() {
	}

	/**
	 * Creates a runtime and recovers the jobs this node left active in the store.
	 * @param settings the settings, already checked
	 * @param killAtJvmExit whether a JVM shutdown hook kills the process groups of jobs still active when the JVM
	 * exits before the runtime was shut down
	 * @return the runtime
	 */
	public static ExecraRuntime create(ExecraSettings settings, boolean killAtJvmExit) {
		return new DefaultExecraRuntime(settings, killAtJvmExit);
	}

}
