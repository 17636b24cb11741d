package io.execra.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.FailureReason;
import io.execra.JobRejectedException;
import io.execra.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Commands that cannot run are a clear error at build time or a spawn failure with the operating system's words,
 * and they leave the runtime serving (their permits are given back).
 */
class BadCommandTests {

	private final ExecraRuntime runtime = ExecraRuntime.builder().maxConcurrent(1).build();

	@AfterEach
	void close() {
		this.runtime.close();
	}

	@Test
	void nulInAnArgumentIsRejectedAtBuildNamingTheArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> Command.of("echo", "fine", "bad\0arg"))
			.withMessageContaining("args[1]")
			.withMessageContaining("NUL");
		assertThatIllegalArgumentException().isThrownBy(() -> Command.of("echo").args("ok", "\0"))
			.withMessageContaining("args[1]");
		assertThatIllegalArgumentException().isThrownBy(() -> Command.of("ec\0ho")).withMessageContaining("program");
	}

	@Test
	void nulInTheEnvironmentIsRejectedAtBuildNamingTheVariable() {
		assertThatIllegalArgumentException().isThrownBy(() -> Command.of("env").env("GREETING", "hel\0lo"))
			.withMessageContaining("GREETING")
			.withMessageContaining("NUL");
		assertThatIllegalArgumentException().isThrownBy(() -> Command.of("env").env("GREE\0TING", "hello"))
			.withMessageContaining("env name");
	}

	@Test
	void argumentsBeyondArgMaxAreRejectedBeforeTheyBecomeAJob() throws Exception {
		// 40 arguments of 100 KB: 4 MB, twice the usual ARG_MAX of 2 MB; execve would fail with E2BIG
		List<String> args = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			args.add("x".repeat(100_000));
		}
		assertThatExceptionOfType(JobRejectedException.class)
			.isThrownBy(() -> this.runtime.spawn(Command.of("echo", args)))
			.withMessageContaining("(CommandLimits.MAX_ARGV_ENV_BYTES)");
		assertThat(this.runtime.recent(10)).isEmpty();
		Serving.assertStillServing(this.runtime);
	}

	@Test
	void everyKindOfSpawnFailureGivesItsPermitBack(@TempDir Path dir) throws Exception {
		Path notExecutable = Files.writeString(dir.resolve("script.sh"), "echo hi\n");
		List<Command> bad = List.of(Command.of("no-such-program-execra-reliability"),
				Command.of(notExecutable.toString()), Command.of(dir.toString()),
				Command.of("echo", "hi").cwd(dir.resolve("missing")), Command.of("echo", "hi").cwd(notExecutable));
		for (Command command : bad) {
			// with max-concurrent 1, a permit kept by a failed spawn would leave every later job queued forever
			assertThat(this.runtime.spawn(command).await()).isInstanceOfSatisfying(Outcome.Failed.class,
					(failed) -> assertThat(failed.reason()).isInstanceOf(FailureReason.SpawnFailed.class));
		}
		assertThat(this.runtime.stats().running()).isZero();
		Serving.assertStillServing(this.runtime);
	}

	@Test
	void zeroAndNegativeTimeoutsAreRejectedAtBuild() {
		assertThatIllegalArgumentException().isThrownBy(() -> Command.of("true").timeout(Duration.ZERO))
			.withMessageContaining("'timeout' must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> Command.of("true").timeout(Duration.ofSeconds(-1)))
			.withMessageContaining("'timeout' must be positive");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ExecraRuntime.builder().defaultTimeout(Duration.ZERO).build())
			.withMessageContaining("defaultTimeout");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ExecraRuntime.builder().maxTimeout(Duration.ofMillis(-5)).build())
			.withMessageContaining("maxTimeout");
	}

}
