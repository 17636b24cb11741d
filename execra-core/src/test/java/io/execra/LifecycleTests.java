package io.execra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.execra.support.TestJobs;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job's lifecycle and outcome, against real processes.
 */
class LifecycleTests {

	private final ExecraRuntime runtime = ExecraRuntime.inMemory();

	@AfterEach
	void close() {
		this.runtime.close();
	}

	@Test
	void echoSucceedsWithItsOutputLinesInOrder() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("sh", "-c", "echo one; echo two; echo three"));
		assertThat(job.await()).isEqualTo(new Outcome.Succeeded(null, List.of()));
		List<Event> events = TestJobs.allEvents(job);
		assertThat(TestJobs.lines(events)).containsExactly("one", "two", "three");
		assertThat(TestJobs.kinds(events)).containsExactly("job_created", "job_started", "output_appended",
				"output_appended", "output_appended", "exited", "finalized");
		assertThat(events).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
		Job snapshot = job.snapshot();
		assertThat(snapshot.state()).isEqualTo(JobState.FINALIZED);
		assertThat(snapshot.exit()).isEqualTo(ExitStatus.ofCode(0));
		assertThat(snapshot.pid()).isPositive();
		assertThat(snapshot.startedAt()).isNotNull();
		assertThat(snapshot.finishedAt()).isAfterOrEqualTo(snapshot.startedAt());
		assertThat(snapshot.outputTail()).isEqualTo("one\ntwo\nthree");
	}

	@Test
	void exitCodeThreeFailsWithNonZeroExit() throws Exception {
		Outcome outcome = this.runtime.spawn(Command.of("sh", "-c", "exit 3")).await();
		assertThat(outcome).isEqualTo(new Outcome.Failed(new FailureReason.NonZeroExit(3)));
	}

	@Test
	void processKilledBySignalFailsWithSignaled() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("sh", "-c", "kill -9 $$"));
		assertThat(job.await()).isEqualTo(new Outcome.Failed(new FailureReason.Signaled(9)));
		assertThat(job.snapshot().exit()).isEqualTo(ExitStatus.ofSignal(9));
	}

	@Test
	void missingProgramFailsToSpawnNamingTheProgram() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("no-such-program-execra-test", "--flag"));
		Outcome outcome = job.await();
		assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, (failed) -> assertThat(failed.reason())
			.isInstanceOfSatisfying(FailureReason.SpawnFailed.class, (reason) -> assertThat(reason.error())
				.contains("no-such-program-execra-test")
				.contains("No such file or directory")));
		assertThat(TestJobs.kinds(TestJobs.allEvents(job))).containsExactly("job_created", "finalized");
		assertThat(job.snapshot().startedAt()).isNull();
	}

	@Test
	void programThatIsNotExecutableFailsToSpawn(@TempDir Path dir) throws Exception {
		Path script = Files.writeString(dir.resolve("script.sh"), "echo hi\n");
		Outcome outcome = this.runtime.spawn(Command.of(script.toString())).await();
		assertThat(((Outcome.Failed) outcome).reason()).isInstanceOfSatisfying(FailureReason.SpawnFailed.class,
				(reason) -> assertThat(reason.error()).contains(script.toString())
					.contains("error=13, Permission denied (not executable)"));
	}

	@Test
	void directoryAsProgramFailsToSpawn(@TempDir Path dir) throws Exception {
		Outcome outcome = this.runtime.spawn(Command.of(dir.toString())).await();
		assertThat(((Outcome.Failed) outcome).reason()).isInstanceOfSatisfying(FailureReason.SpawnFailed.class,
				(reason) -> assertThat(reason.error()).contains(dir.toString())
					.contains("error=13, Permission denied (it is a directory)"));
	}

	@Test
	void missingWorkingDirectoryFailsToSpawnNamingTheDirectory(@TempDir Path dir) throws Exception {
		Path missing = dir.resolve("missing");
		Outcome outcome = this.runtime.spawn(Command.of("pwd").cwd(missing)).await();
		assertThat(((Outcome.Failed) outcome).reason()).isInstanceOfSatisfying(FailureReason.SpawnFailed.class,
				(reason) -> assertThat(reason.error()).contains(missing.toString())
					.contains("error=2, No such file or directory"));
	}

	@Test
	void fileAsWorkingDirectoryFailsToSpawnNamingIt(@TempDir Path dir) throws Exception {
		Path file = Files.writeString(dir.resolve("a-file"), "not a directory\n");
		JobHandle job = this.runtime.spawn(Command.of("pwd").cwd(file));
		assertThat(((Outcome.Failed) job.await()).reason()).isInstanceOfSatisfying(FailureReason.SpawnFailed.class,
				(reason) -> assertThat(reason.error()).contains(file.toString()).contains("error=20, Not a directory"));
		assertThat(TestJobs.kinds(TestJobs.allEvents(job))).containsExactly("job_created", "finalized");
	}

	@Test
	void workingDirectoryAndEnvironmentReachTheProcess(@TempDir Path dir) throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("sh", "-c", "pwd; echo \"$GREETING\"; echo \"${HOME:-unset}\"")
			.cwd(dir)
			.env("GREETING", "hello world")
			.envRemove("HOME"));
		job.await();
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).containsExactly(dir.toRealPath().toString(), "hello world",
				"unset");
		assertThat(job.snapshot().command().envKeys()).containsExactly("GREETING");
		assertThat(job.snapshot().command().toString()).doesNotContain("hello world");
	}

	@Test
	void clearedEnvironmentKeepsOnlyWhatTheCommandSetsAndTheJobsMark() throws Exception {
		JobHandle job = this.runtime
			.spawn(Command.of("/usr/bin/env").envClear().env("ONLY", "this"));
		job.await();
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).containsExactlyInAnyOrder("ONLY=this",
				"EXECRA_JOB_ID=" + job.id());
	}

	@Test
	void awaitMayBeCalledManyTimes() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("true"));
		Outcome first = job.await();
		assertThat(job.await()).isSameAs(first);
		assertThat(job.outcome().get()).isSameAs(first);
		assertThat(job.cancel()).isFalse();
	}

	@Test
	void stagesAddedToTheOutcomeRunOffExecraThreadsSoThatOneThatBlocksHoldsUpNoJob(@TempDir Path dir)
			throws Exception {
		// more stages that block than the event loop has threads: run where the jobs end, they would stall it
		int jobs = Math.max(4, 2 * Runtime.getRuntime().availableProcessors()) + 2;
		Path go = dir.resolve("go");
		CountDownLatch release = new CountDownLatch(1);
		List<String> ranOn = new CopyOnWriteArrayList<>();
		List<JobHandle> blocked = new ArrayList<>();
		try {
			for (int i = 0; i < jobs; i++) {
				JobHandle job = this.runtime.spawn(Command.of("sh", "-c", "while [ ! -e go ]; do sleep 0.02; done")
					.cwd(dir));
				job.outcome().thenRun(() -> {
					ranOn.add(Thread.currentThread().getName());
					awaitQuietly(release);
				});
				blocked.add(job);
			}
			Files.createFile(go);
			for (JobHandle job : blocked) {
				assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
			}
			JobHandle next = this.runtime.spawn(Command.of("sh", "-c", "echo still running"));
			assertThat(next.await()).isInstanceOf(Outcome.Succeeded.class);
			assertThat(next.outcome().get()).isInstanceOf(Outcome.Succeeded.class);
			Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ranOn.size() == jobs);
			assertThat(ranOn).allSatisfy((thread) -> assertThat(thread).startsWith("execra-outcome-"));
		}
		finally {
			release.countDown();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void successExitCodesMapExitCodeOneToSuccess() throws Exception {
		Outcome outcome = this.runtime.spawn(Command.of("sh", "-c", "exit 1").successExitCodes(0, 1)).await();
		assertThat(outcome).isInstanceOf(Outcome.Succeeded.class);
	}

	@Test
	void argumentsAreNeverShellParsed() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("printf", "%s\\n", "a b", "; rm -rf /", "$(id)", "'q'"));
		job.await();
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).containsExactly("a b", "; rm -rf /", "$(id)", "'q'");
	}

	@Test
	void shellCommandRunsThroughTheShell() throws Exception {
		JobHandle job = this.runtime.spawn(Command.shell("printf 'a\\nb\\nc\\n' | wc -l"));
		job.await();
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).extracting(String::trim).containsExactly("3");
		assertThat(job.snapshot().command().kind()).isEqualTo("shell");
	}

	@Test
	void scriptRunsWithItsInterpreterProgram(@TempDir Path dir) throws Exception {
		Path script = Files.writeString(dir.resolve("job.sh"), "echo \"script $1\"\n");
		JobHandle job = this.runtime.spawn(Command.script(script, "sh", "arg"));
		job.await();
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).containsExactly("script arg");
	}

}
