package io.execra.test;

/**
 * AssertJ entry points for execra tests:
 * <pre>{@code
 * assertThat(runtime).spawnedPreset("transcode").hasParameter("input", "in.mp4").hasArgument("in.mp4");
 * assertThat(runtime).spawnedNothing();
 * }</pre>
 */
public final class ExecraTestAssertions {

	private ExecraTestAssertions() {
	}

	/**
	 * Assertions on what a test runtime was asked to run.
	 * @param runtime the runtime
	 * @return the assertions
	 */
	public static ExecraTestRuntimeAssert assertThat(ExecraTestRuntime runtime) {
		return new ExecraTestRuntimeAssert(runtime);
	}

	/**
	 * Assertions on one spawned command.
	 * @param spawned the command
	 * @return the assertions
	 */
	public static SpawnedCommandAssert assertThat(SpawnedCommand spawned) {
		return new SpawnedCommandAssert(spawned);
	}

}
