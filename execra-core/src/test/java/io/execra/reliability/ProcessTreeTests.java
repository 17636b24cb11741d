package io.execra.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.ExitStatus;
import io.execra.JobHandle;
import io.execra.Outcome;
import io.execra.support.TestJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tools that leave processes behind: zombies, and daemons that leave the job's session. The job still ends in
 * bounded time with a defined outcome.
 */
class ProcessTreeTests {

	private static final Duration DRAIN_GRACE = Duration.ofMillis(300);

	private final ExecraRuntime runtime = ExecraRuntime.builder().drainGracePeriod(DRAIN_GRACE).build();

	@BeforeAll
	static void linuxOnly() {
		assumeTrue(TestJobs.hasProcFs(), "needs /proc");
	}

	@AfterEach
	void close() {
		this.runtime.close();
	}

	@Test
	void zombieChildrenDoNotKeepAJobFromEndingOrBeingCancelled() throws Exception {
		// the subshell exits at once; sh then execs into sleep, which never reaps it: a zombie in the group
		JobHandle job = this.runtime.spawn(Command.shell("(exit 0) & exec sleep 30"));
		long pgid = awaitPid(job);
		await().atMost(Duration.ofSeconds(10)).until(() -> zombiesInGroup(pgid) > 0);
		assertThat(job.cancel()).isTrue();
		assertThat(job.outcome().get(5, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(Outcome.Cancelled.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> TestJobs.liveProcessesInGroup(pgid).isEmpty());
		Serving.assertStillServing(this.runtime);
	}

	@Test
	void whatJobsThatExitedByThemselvesLeftInTheirGroupsIsKilled() throws Exception {
		// several jobs end within one reap interval: each leaves a sleep in its group, which must not outlive it
		List<JobHandle> jobs = new java.util.ArrayList<>();
		for (int i = 0; i < 3; i++) {
			jobs.add(this.runtime.spawn(Command.shell("sleep 300 >/dev/null 2>&1 & echo started")));
		}
		for (JobHandle job : jobs) {
			assertThat(job.outcome().get(10, java.util.concurrent.TimeUnit.SECONDS))
				.isInstanceOf(Outcome.Succeeded.class);
		}
		for (JobHandle job : jobs) {
			long pgid = job.snapshot().pid();
			await().atMost(Duration.ofSeconds(5)).until(() -> TestJobs.liveProcessesInGroup(pgid).isEmpty());
		}
		Serving.assertStillServing(this.runtime);
	}

	@Test
	void daemonThatLeavesTheSessionHoldingThePipesDoesNotHangTheJob() throws Exception {
		// double fork + setsid: the daemon is in a session of its own and keeps the job's stdout open
		JobHandle job = this.runtime
			.spawn(Command.shell("setsid sh -c 'echo daemon-started; exec sleep 30' & sleep 0.2; echo parent-exits"));
		Outcome outcome = job.outcome().get(DRAIN_GRACE.toMillis() + 5_000, java.util.concurrent.TimeUnit.MILLISECONDS);
		assertThat(outcome).isInstanceOf(Outcome.Succeeded.class);
		assertThat(job.snapshot().exit()).isEqualTo(ExitStatus.ofCode(0));
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).contains("daemon-started", "parent-exits");
		killDaemon();
		Serving.assertStillServing(this.runtime);
	}

	private static void killDaemon() {
		// execra kills it by the job's mark (EscapedDescendantTests); should that fail, this test cleans up anyway
		ProcessHandle.allProcesses()
			.filter((p) -> p.info().commandLine().orElse("").equals("sleep 30"))
			.filter((p) -> p.parent().map((parent) -> parent.pid() == 1).orElse(true))
			.forEach(ProcessHandle::destroyForcibly);
	}

	private static long awaitPid(JobHandle job) {
		return await().atMost(Duration.ofSeconds(10)).until(() -> Optional.ofNullable(job.snapshot().pid()),
				Optional::isPresent).get();
	}

	private static long zombiesInGroup(long pgid) throws Exception {
		List<Long> all = new java.util.ArrayList<>();
		try (var entries = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
			for (java.nio.file.Path entry : (Iterable<java.nio.file.Path>) entries::iterator) {
				try {
					String stat = java.nio.file.Files.readString(entry.resolve("stat"));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					if (fields[0].equals("Z") && Long.parseLong(fields[2]) == pgid) {
						all.add(Long.parseLong(entry.getFileName().toString()));
					}
				}
				catch (java.io.IOException | RuntimeException ex) {
					// not a process, or it ended while we looked
				}
			}
		}
		return all.size();
	}

}
