package io.execra.internal.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Outcome;
import io.execra.Stdin;
import io.execra.internal.job.RuntimeInternals;
import io.execra.support.TestJobs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code posix_spawn} launcher, driven directly: a child in a session of its own, with exactly the given
 * environment, directory and stdin, no descriptor of the JVM, default signal dispositions, and exit values as the
 * JDK reports them. Runs where {@link Libc} is bound: JDK 22+ with native access enabled (the build enables it), or
 * an older JDK with JNA on the class path (execra-core's tests have it); with
 * {@code EXECRA_TEST_REQUIRE_POSIX_SPAWN=true} (CI) a skip is a failure.
 */
class PosixSpawnTests {

	private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "EXECRA_PROBE", "a b;c");

	private static PosixSpawn spawn;

	@BeforeAll
	static void available() {
		Libc libc = Libc.get();
		if (libc == null && "true".equals(System.getenv("EXECRA_TEST_REQUIRE_POSIX_SPAWN"))) {
			throw new IllegalStateException("posix_spawn is required but unavailable: " + Libc.unavailableReason());
		}
		assumeTrue(libc != null, () -> "posix_spawn unavailable: " + Libc.unavailableReason());
		spawn = new PosixSpawn(libc);
	}

	@Test
	void childLeadsASessionAndGroupOfItsOwn() throws Exception {
		Process process = start(List.of("sh", "-c", "cat /proc/$$/stat"), Stdin.none(), null);
		String stat = output(process);
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		// fields after the command: state, ppid, pgrp, session
		assertThat(Long.parseLong(fields[2])).as("pgrp").isEqualTo(process.pid());
		assertThat(Long.parseLong(fields[3])).as("session").isEqualTo(process.pid());
		assertThat(Long.parseLong(fields[1])).as("parent").isEqualTo(ProcessHandle.current().pid());
		assertThat(process.waitFor()).isZero();
	}

	@Test
	void childHasOnlyStdinStdoutAndStderrOpen() throws Exception {
		Process process = start(List.of("sh", "-c", "ls /proc/$$/fd"), Stdin.none(), null);
		assertThat(output(process).split("\\s+")).containsExactlyInAnyOrder("0", "1", "2");
	}

	@Test
	void childHasNoIgnoredOrBlockedSignals() throws Exception {
		// grep reads its own status (a shell would show the mask it blocks signals with while it waits)
		Process process = start(List.of("grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"), Stdin.none(), null);
		assertThat(output(process)).contains("SigBlk:\t0000000000000000").contains("SigIgn:\t0000000000000000");
	}

	@Test
	void aFailedCallLeavesItsErrnoForTheCallingThread() throws Throwable {
		Libc libc = Libc.get();
		assertThat(libc).isNotNull();
		ByteBuffer fds = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
		// no such flags: EINVAL (22)
		int result = (int) libc.pipe2.invokeExact(libc.callState(), libc.address(fds), 0x7fff0000);
		assertThat(result).isEqualTo(-1);
		assertThat(libc.errno()).isEqualTo(22);
		// a pipe made: 0, with its two descriptors
		result = (int) libc.pipe2.invokeExact(libc.callState(), libc.address(fds), 0x80000);
		assertThat(result).isZero();
		int closed = (int) libc.close.invokeExact(fds.getInt(0));
		closed += (int) libc.close.invokeExact(fds.getInt(4));
		assertThat(closed).isZero();
		// no such child: ECHILD (10), told apart from the error before
		result = (int) libc.waitpid.invokeExact(libc.callState(), Integer.MAX_VALUE, 0L, 0);
		assertThat(result).isEqualTo(-1);
		assertThat(libc.errno()).isEqualTo(10);
	}

	@Test
	void attributesMadeForTheFirstSpawnApplyToTheNextOnes() throws Exception {
		PosixSpawn fresh = new PosixSpawn(Libc.get());
		for (int i = 0; i < 3; i++) {
			Process process = fresh.start(Path.of("/bin/sh"),
					List.of("sh", "-c", "cut -d' ' -f5,6 /proc/$$/stat; exec grep -E '^Sig(Blk|Ign)' /proc/self/status"),
					ENV, null, Stdin.none());
			assertThat(output(process)).as("spawn %d", i)
				.contains(process.pid() + " " + process.pid())
				.contains("SigBlk:\t0000000000000000")
				.contains("SigIgn:\t0000000000000000");
		}
	}

	@Test
	void environmentIsExactlyTheGivenOne(@TempDir Path dir) throws Exception {
		Process process = start(List.of("env"), Stdin.none(), dir);
		assertThat(output(process).lines()).containsExactlyInAnyOrder("PATH=/usr/bin:/bin", "EXECRA_PROBE=a b;c");
	}

	@Test
	void workingDirectoryAndStdinFileApply(@TempDir Path dir) throws Exception {
		Path input = Files.writeString(dir.resolve("input.txt"), "from the file\n");
		Process process = start(List.of("sh", "-c", "pwd; cat"), Stdin.file(input), dir);
		assertThat(output(process).lines()).containsExactly(dir.toRealPath().toString(), "from the file");
	}

	@Test
	void stdinPipeCarriesWritesAndStdinNoneIsEmpty() throws Exception {
		Process piped = start(List.of("cat"), Stdin.pipe(), null);
		piped.getOutputStream().write("typed\n".getBytes(StandardCharsets.UTF_8));
		piped.getOutputStream().close();
		assertThat(output(piped)).isEqualTo("typed\n");
		Process none = start(List.of("cat"), Stdin.none(), null);
		assertThat(output(none)).isEmpty();
		assertThatIOException().isThrownBy(() -> none.getOutputStream().write(1)).withMessage("Stream closed");
	}

	@Test
	void stderrIsItsOwnStream() throws Exception {
		Process process = start(List.of("sh", "-c", "echo out; echo err >&2"), Stdin.none(), null);
		assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("err\n");
		assertThat(output(process)).isEqualTo("out\n");
	}

	@Test
	void exitValuesAreThoseOfTheJdk() throws Exception {
		assertThat(start(List.of("sh", "-c", "exit 3"), Stdin.none(), null).waitFor()).isEqualTo(3);
		Process killed = start(List.of("sh", "-c", "kill -9 $$"), Stdin.none(), null);
		assertThat(killed.waitFor()).isEqualTo(128 + 9);
		assertThat(killed.isAlive()).isFalse();
		assertThat(killed.onExit().get(5, TimeUnit.SECONDS)).isSameAs(killed);
	}

	@Test
	void destroyTerminatesAndHandleOutlivesTheReaping() throws Exception {
		Process process = start(List.of("sleep", "30"), Stdin.none(), null);
		assertThat(process.waitFor(100, TimeUnit.MILLISECONDS)).isFalse();
		assertThatIllegalStateExceptionLike(process);
		process.destroy();
		assertThat(process.waitFor(5, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).isEqualTo(128 + 15);
		assertThat(process.toHandle().pid()).isEqualTo(process.pid());
		assertThat(process.toHandle().isAlive()).isFalse();
	}

	@Test
	void onTheEventLoopTheHandleIsLookedUpBeforeTheReapAndNamesNoOtherProcessAfterIt() throws Exception {
		EventLoop loop = EventLoop.shared();
		assumeTrue(loop != null, EventLoop::unavailableReason);
		NativeProcess running = (NativeProcess) spawn.start(Path.of("/bin/sleep"), List.of("sleep", "30"), ENV, null,
				Stdin.none(), loop);
		NativeProcess exited = (NativeProcess) spawn.start(Path.of("/bin/true"), List.of("true"), ENV, null,
				Stdin.none(), loop);
		try {
			// asked for while the process runs: the JDK's handle, with its start time
			ProcessHandle handle = running.toHandle();
			assertThat(handle).isEqualTo(ProcessHandle.of(running.pid()).orElseThrow());
			assertThat(handle.isAlive()).isTrue();
			running.destroy();
			assertThat(running.waitFor(5, TimeUnit.SECONDS)).isTrue();
			assertThat(running.toHandle()).isSameAs(handle);
			assertThat(handle.isAlive()).isFalse();

			// first asked for once the loop reaped it: its pid, alive or not, is no longer looked up
			assertThat(exited.waitFor(5, TimeUnit.SECONDS)).isTrue();
			ProcessHandle reaped = exited.toHandle();
			assertThat(reaped.pid()).isEqualTo(exited.pid());
			assertThat(reaped.isAlive()).isFalse();
			assertThat(reaped.descendants()).isEmpty();
			assertThat(reaped.destroyForcibly()).isFalse();
			assertThat(reaped.onExit()).isCompletedWithValue(reaped);
			// a process that now held the pid would not be taken for it
			assertThat(ProcessHandle.current()).isNotEqualTo(reaped);
			assertThat(new ReapedProcess(ProcessHandle.current().pid())).isNotEqualTo(ProcessHandle.current());
			assertThat(exited.toHandle()).isSameAs(reaped);
		}
		finally {
			for (NativeProcess process : List.of(running, exited)) {
				process.destroyForcibly();
				PumpedOutput output = process.pumpOutput(Discard.INSTANCE, Discard.INSTANCE);
				if (output != null) {
					output.release();
				}
			}
		}
	}

	/** Takes a stream's bytes and drops them. */
	private enum Discard implements OutputSink {

		INSTANCE;

		@Override
		public void bytes(byte[] bytes, int length) {
		}

		@Override
		public void ended() {
		}

	}

	@Test
	void spawnErrorsNameTheProgramAndTheError(@TempDir Path dir) throws Exception {
		Path script = Files.writeString(dir.resolve("no-interpreter"), "#!/nonexistent/interpreter\n");
		script.toFile().setExecutable(true);
		assertThatIOException()
			.isThrownBy(() -> spawn.start(script, List.of("./no-interpreter"), ENV, dir, Stdin.none()))
			.withMessage("Cannot run program \"./no-interpreter\" (in directory \"" + dir
					+ "\"): error=2, No such file or directory");
		assertThatIOException()
			.isThrownBy(() -> spawn.start(Path.of("/bin/true"), List.of("true", "x".repeat(200_000)), ENV, null,
					Stdin.none()))
			.withMessage("Cannot run program \"true\": error=7, Argument list too long");
		assertThatIOException()
			.isThrownBy(() -> spawn.start(Path.of("/bin/cat"), List.of("cat"), ENV, null,
					Stdin.file(dir.resolve("missing.txt"))))
			.withMessage(dir.resolve("missing.txt") + " (No such file or directory)");
	}

	@Test
	void failedSpawnsLeakNoDescriptor() throws Exception {
		long before = openDescriptors();
		for (int i = 0; i < 200; i++) {
			assertThatIOException().isThrownBy(() -> spawn.start(Path.of("/nonexistent"), List.of("nonexistent"),
					ENV, null, Stdin.pipe()));
		}
		assertThat(openDescriptors()).isLessThanOrEqualTo(before + 2);
	}

	@Test
	void unknownOrUnavailableMechanismIsAClearError() {
		assertThatIllegalStateException().isThrownBy(() -> new ProcessLauncher("fork"))
			.withMessage("Unknown io.execra.launchMechanism 'fork': use auto, posix_spawn or jdk");
		assertThat(new ProcessLauncher("posix_spawn").mechanism()).isEqualTo("posix_spawn");
		assertThat(new ProcessLauncher("jdk").mechanism()).isIn("setsid", "jdk");
	}

	@Test
	void runtimeJobsOnPosixSpawnCancelTheirWholeTree() throws Exception {
		assumeTrue(TestJobs.hasProcFs());
		// a run that forces the setsid launcher (the build's second execution, with -Dtest) has no such runtime
		assumeTrue(!"jdk".equals(System.getProperty(ProcessLauncher.MECHANISM_PROPERTY)),
				"the setsid launcher is forced");
		try (ExecraRuntime runtime = ExecraRuntime.builder().build()) {
			assertThat(RuntimeInternals.launchMechanism(runtime)).isEqualTo("posix_spawn");
			JobHandle job = runtime.spawn(Command.shell("sleep 300 & sleep 300 & wait"));
			long pgid = org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> job.snapshot().pid(), (pid) -> pid != null);
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> TestJobs.liveProcessesInGroup(pgid).size() >= 3);
			assertThat(job.cancel()).isTrue();
			assertThat(job.outcome().get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Cancelled.class);
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> TestJobs.liveProcessesInGroup(pgid).isEmpty());
		}
	}

	private static void assertThatIllegalStateExceptionLike(Process running) {
		org.assertj.core.api.Assertions.assertThatExceptionOfType(IllegalThreadStateException.class)
			.isThrownBy(running::exitValue);
	}

	private static Process start(List<String> argv, Stdin stdin, Path cwd) throws IOException {
		Path executable = Path.of(argv.get(0).startsWith("/") ? argv.get(0) : "/usr/bin/" + argv.get(0));
		if (!Files.isExecutable(executable)) {
			executable = Path.of("/bin/" + argv.get(0));
		}
		return spawn.start(executable, argv, ENV, cwd, stdin);
	}

	private static String output(Process process) throws Exception {
		try (var in = process.getInputStream()) {
			String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor(10, TimeUnit.SECONDS);
			return text;
		}
	}

	private static long openDescriptors() throws IOException {
		try (var fds = Files.list(Path.of("/proc/self/fd"))) {
			return fds.count();
		}
	}

}
