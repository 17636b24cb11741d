package io.execra.internal.process;

import io.execra.ExecraRuntime;
import io.execra.internal.job.RuntimeInternals;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which launcher a runtime uses: the system property {@code io.execra.launchMechanism} when set (the build runs
 * the process suites a second time with {@code jdk}), else posix_spawn wherever it can be bound.
 */
class LaunchMechanismTests {

	@Test
	void runtimeUsesTheMechanismAskedForOrTheBestAvailable() {
		String asked = System.getProperty(ProcessLauncher.MECHANISM_PROPERTY, "auto");
		try (ExecraRuntime runtime = ExecraRuntime.builder().build()) {
			String used = RuntimeInternals.launchMechanism(runtime);
			switch (asked) {
				case "jdk" -> assertThat(used).isEqualTo("setsid");
				case "posix_spawn" -> assertThat(used).isEqualTo("posix_spawn");
				default -> assertThat(used).isEqualTo((Libc.get() != null) ? "posix_spawn" : "setsid");
			}
		}
	}

}
