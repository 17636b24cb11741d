package io.execra.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.execra.support.TestJobs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A JVM ended by SIGTERM without closing its plain-Java runtime: the runtime's shutdown hook kills the jobs' process
 * groups as the last resort, unless the hook was turned off for an owner that shuts the runtime down itself.
 */
class JvmExitTests {

	@BeforeAll
	static void linuxOnly() {
		assumeTrue(TestJobs.hasProcFs(), "needs /proc");
	}

	@Test
	void shutdownHookKillsTheJobsOfAJvmEndedByTerm() throws Exception {
		long pid = runChildAndTerminateIt("hook");
		try {
			assertThat(TestJobs.liveProcessesInGroup(pid)).as("processes of the job's group after the JVM exit")
				.isEmpty();
		}
		finally {
			kill(pid);
		}
	}

	@Test
	void withoutTheShutdownHookTheJobsOutliveTheJvm() throws Exception {
		long pid = runChildAndTerminateIt("no-hook");
		try {
			assertThat(TestJobs.liveProcessesInGroup(pid)).as("processes of the job's group after the JVM exit")
				.containsExactly(pid);
		}
		finally {
			kill(pid);
		}
	}

	/** Starts the child, waits for its job's pid, sends the JVM SIGTERM and waits for it to exit. */
	private static long runChildAndTerminateIt(String hook) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				JvmExitApplication.class.getName(), hook)
			.redirectErrorStream(true)
			.start();
		try {
			long pid = readPid(child);
			child.destroy();
			assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child JVM exited after SIGTERM").isTrue();
			return pid;
		}
		finally {
			child.destroyForcibly();
		}
	}

	private static long readPid(Process child) throws Exception {
		StringBuilder output = new StringBuilder();
		CompletableFuture<Long> pid = CompletableFuture.supplyAsync(() -> {
			try (BufferedReader reader = new BufferedReader(
					new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = reader.readLine()) != null) {
					output.append(line).append('\n');
					if (line.startsWith("PID ")) {
						return Long.parseLong(line.substring(4));
					}
				}
				return -1L;
			}
			catch (IOException ex) {
				return -1L;
			}
		});
		long found = pid.get(120, TimeUnit.SECONDS);
		assertThat(found).as("child JVM output:%n%s", output).isPositive();
		return found;
	}

	private static void kill(long pgid) throws Exception {
		new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).start().waitFor(10, TimeUnit.SECONDS);
	}

}
