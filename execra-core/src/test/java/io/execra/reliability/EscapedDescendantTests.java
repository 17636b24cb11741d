package io.execra.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.FailureReason;
import io.execra.JobHandle;
import io.execra.JobId;
import io.execra.Outcome;
import io.execra.interpret.Interpreter;
import io.execra.interpret.InterpreterContext;
import io.execra.interpret.Line;
import io.execra.support.TestJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Descendants that leave the job's process group and session ({@code setsid}, a double-forked daemon) and keep its
 * stdout open. The mechanism these tests prove is the job's mark: every job's process gets
 * {@code EXECRA_JOB_ID=<job id>} in its environment, descendants inherit it whatever their session, and execra
 * finds them through {@code /proc/<pid>/environ} and kills them with the job. A survivor execra cannot find (here:
 * one that cleared its environment) cannot keep the job's pump threads blocked: they are woken and end. Linux
 * only; with {@code EXECRA_TEST_REQUIRE_CONTAINMENT=true} (CI) a skip is a failure.
 */
class EscapedDescendantTests {

	private static final Duration DRAIN_GRACE = Duration.ofMillis(300);

	/** A daemon in a session of its own holding the job's stdout; its parent, a subshell, exits at once. */
	private static final String DOUBLE_FORKED_DAEMON = "(setsid sh -c 'sleep 300' &)";

	private final ExecraRuntime runtime = ExecraRuntime.builder()
		.drainGracePeriod(DRAIN_GRACE)
		.cancelGracePeriod(Duration.ofSeconds(2))
		.build();

	private final Set<Thread> pumps = ConcurrentHashMap.newKeySet();

	@BeforeAll
	static void linuxWithSetsid() {
		boolean available = TestJobs.hasProcFs() && Files.isExecutable(Path.of("/usr/bin/setsid"));
		if (!available && "true".equals(System.getenv("EXECRA_TEST_REQUIRE_CONTAINMENT"))) {
			throw new IllegalStateException("containment tests need /proc and /usr/bin/setsid");
		}
		assumeTrue(available, "needs Linux /proc (the job's mark is read from /proc/<pid>/environ) and setsid");
	}

	@AfterEach
	void close() {
		this.runtime.close();
	}

	@Test
	void cancelKillsADescendantThatCalledSetsidAndHoldsStdoutFoundByTheJobsMark() throws Exception {
		JobHandle job = spawn(Command.shell(streams() + "setsid sh -c 'sleep 300' & sleep 300"));
		List<Long> escaped = awaitEscapedDescendant(job);
		assertThat(job.cancel()).isTrue();
		assertThat(job.outcome().get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Cancelled.class);
		assertNothingOfTheJobRuns(job, escaped);
	}

	@Test
	void cancelKillsADoubleForkedDaemonHoldingStdoutFoundByTheJobsMark() throws Exception {
		JobHandle job = spawn(Command.shell(streams() + DOUBLE_FORKED_DAEMON + "; sleep 300"));
		List<Long> escaped = awaitEscapedDescendant(job);
		assertThat(job.cancel()).isTrue();
		assertThat(job.outcome().get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Cancelled.class);
		assertNothingOfTheJobRuns(job, escaped);
	}

	@Test
	void timeoutKillsADoubleForkedDaemonHoldingStdoutFoundByTheJobsMark() throws Exception {
		JobHandle job = spawn(
				Command.shell(streams() + DOUBLE_FORKED_DAEMON + "; sleep 300").timeout(Duration.ofSeconds(2)));
		List<Long> escaped = awaitEscapedDescendant(job);
		Outcome outcome = job.outcome().get(10, TimeUnit.SECONDS);
		assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class,
				(failed) -> assertThat(failed.reason()).isInstanceOf(FailureReason.TimedOut.class));
		assertNothingOfTheJobRuns(job, escaped);
	}

	@Test
	void aJobThatExitsLeavingADaemonHoldingStdoutEndsAndTheDaemonIsKilled() throws Exception {
		JobHandle job = spawn(Command.shell(streams() + DOUBLE_FORKED_DAEMON + "; sleep 0.5; echo parent-exits"));
		List<Long> escaped = awaitEscapedDescendant(job);
		assertThat(job.outcome().get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).contains("parent-exits");
		assertNothingOfTheJobRuns(job, escaped);
	}

	@Test
	void pumpsBlockedOnAPipeHeldByAProcessExecraCannotFindAreReleased() throws Exception {
		// env -i drops the mark: this survivor is beyond what execra can find, and holds stdout and stderr
		JobHandle job = spawn(Command.shell(streams() + "(env -i /usr/bin/setsid /bin/sh -c 'echo survivor=$$;"
				+ " exec /bin/sleep 300' &); sleep 0.5; echo parent-exits"));
		try {
			assertThat(job.outcome().get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
			assertThat(survivor(job)).as("the survivor outlives the job: only its pumps were released")
				.matches(ProcessHandle::isAlive);
			assertPumpsEnded();
			// under either pump: the JVM holds no read end of the pipes the survivor keeps open
			String pipe = Files.readSymbolicLink(Path.of("/proc/" + survivorPid(job) + "/fd/1")).toString();
			assertThat(pipe).startsWith("pipe:[");
			await().atMost(Duration.ofSeconds(2))
				.untilAsserted(() -> assertThat(openFilesOfThisJvm()).as("files this JVM has open").doesNotContain(pipe));
		}
		finally {
			ProcessHandle.of(survivorPid(job)).ifPresent(ProcessHandle::destroyForcibly);
		}
	}

	private static List<String> openFilesOfThisJvm() throws IOException {
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			return fds.map((fd) -> {
				try {
					return Files.readSymbolicLink(fd).toString();
				}
				catch (IOException ex) {
					// closed meanwhile
					return "";
				}
			}).toList();
		}
	}

	/** Writes a line to each stream first, so that the interpreter sees both pump threads. */
	private static String streams() {
		return "echo out; echo err >&2; ";
	}

	private JobHandle spawn(Command command) {
		return this.runtime.spawn(command.interpreter(() -> new Interpreter() {
			@Override
			public void onLine(Line line, InterpreterContext context) {
				EscapedDescendantTests.this.pumps.add(Thread.currentThread());
			}
		}));
	}

	/** Waits for a marked process outside the job's session (setsid took effect) and returns the marked pids. */
	private static List<Long> awaitEscapedDescendant(JobHandle job) {
		String[] leader = await().atMost(Duration.ofSeconds(10))
			.until(() -> (job.snapshot().pid() != null) ? stat(job.snapshot().pid()) : null, (stat) -> stat != null);
		long session = Long.parseLong(leader[3]);
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> markedProcesses(job.id()),
					(pids) -> pids.stream().map(EscapedDescendantTests::stat).anyMatch(
							(stat) -> stat != null && Long.parseLong(stat[3]) != session));
	}

	private void assertNothingOfTheJobRuns(JobHandle job, List<Long> escaped) {
		assertThat(markedProcesses(job.id())).as("processes marked with job %s after it finalized", job.id())
			.isEmpty();
		// a killed process closes its files (so the job could finalize) a moment before it becomes a zombie
		await().atMost(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(escaped).as("the escaped descendants").noneMatch((pid) -> isRunning(pid)));
		assertPumpsEnded();
	}

	private void assertPumpsEnded() {
		assertThat(this.pumps).as("the job's pump threads").hasSizeGreaterThanOrEqualTo(1);
		// the last pump finalizes the job itself, so it may still be returning from pump() as the outcome completes
		await().atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(this.pumps).as("pump threads still reading the job's pipes")
				.noneMatch(EscapedDescendantTests::pumping));
	}

	private static boolean pumping(Thread thread) {
		return Arrays.stream(thread.getStackTrace())
			.anyMatch((frame) -> frame.getClassName().equals("io.execra.internal.job.OutputPump")
					&& frame.getMethodName().equals("pump"));
	}

	private static ProcessHandle survivor(JobHandle job) throws InterruptedException {
		return ProcessHandle.of(survivorPid(job)).orElseThrow();
	}

	private static long survivorPid(JobHandle job) throws InterruptedException {
		return TestJobs.lines(TestJobs.allEvents(job))
			.stream()
			.filter((line) -> line.startsWith("survivor="))
			.map((line) -> Long.parseLong(line.substring("survivor=".length())))
			.findFirst()
			.orElseThrow();
	}

	/** Live (not zombie) processes whose environment holds the job's mark, read from /proc as execra reads it. */
	private static List<Long> markedProcesses(JobId id) {
		String mark = "EXECRA_JOB_ID=" + id;
		try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
			return entries.map((entry) -> entry.getFileName().toString())
				.filter((name) -> name.chars().allMatch(Character::isDigit))
				.map(Long::parseLong)
				.filter((pid) -> environment(pid).contains(mark) && isRunning(pid))
				.toList();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<String> environment(long pid) {
		try {
			return Arrays.asList(new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")),
					StandardCharsets.UTF_8).split("\0"));
		}
		catch (IOException | RuntimeException ex) {
			// gone, or not ours to read
			return List.of();
		}
	}

	private static boolean isRunning(long pid) {
		String[] stat = stat(pid);
		return stat != null && !stat[0].equals("Z");
	}

	/** The fields of /proc/pid/stat after the command: state, ppid, pgrp, session, ...; null if gone. */
	private static String[] stat(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

}
