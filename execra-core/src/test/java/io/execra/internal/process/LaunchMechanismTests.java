package io.execra.internal.process;

import io.execra.ExecraRuntime;
import io.execra.Pump;
import io.execra.internal.job.RuntimeInternals;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Which launcher and pump a runtime uses: the system properties {@code io.execra.launchMechanism} and
 * {@code io.execra.pump} when set (the build runs the process suites again with {@code jdk}, and with
 * {@code threads}), else posix_spawn wherever it can be bound and the event loop wherever it runs.
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

	@Test
	void runtimeUsesThePumpAskedForOrTheEventLoopWhereItRuns() {
		String asked = System.getProperty(ProcessLauncher.PUMP_PROPERTY, "auto");
		try (ExecraRuntime runtime = ExecraRuntime.builder().build()) {
			String used = RuntimeInternals.pump(runtime);
			boolean posixSpawn = RuntimeInternals.launchMechanism(runtime).equals("posix_spawn");
			switch (asked) {
				case "threads" -> assertThat(used).isEqualTo("threads");
				case "event_loop" -> assertThat(used).isEqualTo("event_loop");
				default -> assertThat(used).as(String.valueOf(EventLoop.unavailableReason()))
					.isEqualTo((posixSpawn && EventLoop.shared() != null) ? "event_loop" : "threads");
			}
		}
	}

	@Test
	void aRuntimeThatChoseItsPumpKeepsItWhateverTheSystemProperty() {
		try (ExecraRuntime runtime = ExecraRuntime.builder().pump(Pump.THREADS).build()) {
			assertThat(RuntimeInternals.pump(runtime)).isEqualTo("threads");
			assertThat(runtime.settings().pump()).isEqualTo(Pump.THREADS);
		}
		if (EventLoop.shared() != null && Libc.get() != null
				&& !"jdk".equals(System.getProperty(ProcessLauncher.MECHANISM_PROPERTY))) {
			try (ExecraRuntime runtime = ExecraRuntime.builder().pump(Pump.EVENT_LOOP).build()) {
				assertThat(RuntimeInternals.pump(runtime)).isEqualTo("event_loop");
			}
		}
	}

	@Test
	void eventLoopIsRefusedWhereProcessesDoNotStartThroughPosixSpawn() {
		assertThatIllegalStateException().isThrownBy(() -> new ProcessLauncher("jdk", "event_loop"))
			.withMessageContaining("event_loop cannot be used");
	}

	@Test
	void theEventLoopRunsOnLinuxWherePosixSpawnDoes() {
		// kernel 5.3+ everywhere this is built: a loop that cannot start here is a broken binding, not a fallback
		if (Libc.get() != null) {
			assertThat(EventLoop.shared()).as(String.valueOf(EventLoop.unavailableReason())).isNotNull();
		}
	}

	@Test
	void anUnknownPumpIsRefusedNamingTheChoices() {
		assertThatIllegalStateException().isThrownBy(() -> new ProcessLauncher("auto", "selector"))
			.withMessageContaining("io.execra.pump 'selector'")
			.withMessageContaining("auto, event_loop or threads");
		assertThat(new ProcessLauncher("auto", "threads").pump()).isEqualTo("threads");
		assertThat(new ProcessLauncher("jdk", "auto").pump()).isEqualTo("threads");
		assertThatIllegalStateException().isThrownBy(() -> new ProcessLauncher("jdk", "event_loop"))
			.withMessageContaining("posix_spawn");
	}

}
