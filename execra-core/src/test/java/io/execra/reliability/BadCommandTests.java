package io.execra.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.FailureReason;
import io.execra.JobHandle;
import io.execra.JobRejectedException;
import io.execra.Outcome;
import io.execra.internal.job.RuntimeInternals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

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
	void aQueuedJobWhoseProgramChangedAfterItsStartWasPreparedIsRefusedNamingTheChange(@TempDir Path dir)
			throws Exception {
		// the job first in the queue has its start prepared (program resolved, arguments laid out) while the job
		// ahead of it runs: a program that is a directory by the time it starts is named as such, as it is for a
		// job that was not prepared ahead, not with the bare error of the spawn
		Path program = Files.writeString(dir.resolve("job.sh"), "#!/bin/sh\necho hi\n");
		assertThat(program.toFile().setExecutable(true)).isTrue();
		Path gate = dir.resolve("gate");
		JobHandle ahead = this.runtime
			.spawn(Command.of("sh", "-c", "while [ ! -e '" + gate + "' ]; do sleep 0.05; done"));
		JobHandle queued = this.runtime.spawn(Command.of(program.toString()));
		await().atMost(Duration.ofSeconds(10)).until(() -> RuntimeInternals.startPrepared(this.runtime, queued.id()));
		Files.delete(program);
		Files.createDirectory(program);
		Files.createFile(gate);
		assertThat(ahead.await()).isInstanceOf(Outcome.Succeeded.class);
		String prepared = spawnFailure(queued.await());
		String direct = spawnFailure(this.runtime.spawn(Command.of(program.toString())).await());
		assertThat(prepared).endsWith("error=13, Permission denied (it is a directory)").isEqualTo(direct);
		Serving.assertStillServing(this.runtime);
	}

	private static String spawnFailure(Outcome outcome) {
		assertThat(outcome).isInstanceOf(Outcome.Failed.class);
		FailureReason reason = ((Outcome.Failed) outcome).reason();
		assertThat(reason).isInstanceOf(FailureReason.SpawnFailed.class);
		return ((FailureReason.SpawnFailed) reason).error();
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
