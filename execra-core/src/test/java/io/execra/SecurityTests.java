package io.execra;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.execra.support.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The security policy: allowed programs, the shell switch, environment inheritance and redaction.
 */
class SecurityTests {

	private static ExecraRuntime runtime(SecurityPolicy policy) {
		return ExecraRuntime.builder().securityPolicy(policy).build();
	}

	@Test
	void programsOutsideTheAllowListAreRejectedBeforeSpawning() throws Exception {
		SecurityPolicy policy = new SecurityPolicy(Set.of("echo", "/usr/bin/printf"), false,
				SecurityPolicy.EnvInheritance.INHERIT, Set.of(), List.of());
		try (ExecraRuntime runtime = runtime(policy)) {
			assertThat(runtime.spawn(Command.of("echo", "ok")).await()).isInstanceOf(Outcome.Succeeded.class);
			assertThat(runtime.spawn(Command.of("printf", "ok")).await()).isInstanceOf(Outcome.Succeeded.class);
			assertThatThrownBy(() -> runtime.spawn(Command.of("rm", "-rf", "/tmp/x")))
				.isInstanceOf(JobRejectedException.class)
				.hasMessageContaining("'rm'")
				.hasMessageContaining("allowed programs");
			assertThatThrownBy(() -> runtime.spawn(Command.of("/tmp/evil/echo")))
				.isInstanceOf(JobRejectedException.class);
			assertThat(runtime.recent(10)).hasSize(2);
		}
	}

	@Test
	void aMissingProgramListedByPathIsRejectedSayingItWasNotFound(@TempDir Path dir) throws Exception {
		String missing = dir.resolve("bin/tool").toString();
		SecurityPolicy policy = new SecurityPolicy(Set.of(missing), false, SecurityPolicy.EnvInheritance.INHERIT,
				Set.of(), List.of());
		try (ExecraRuntime runtime = runtime(policy)) {
			assertThatThrownBy(() -> runtime.spawn(Command.of(missing, "--version")))
				.isInstanceOf(JobRejectedException.class)
				.hasMessageContaining("Cannot run program \"" + missing + "\"")
				.hasMessageContaining("No such file or directory");
			assertThat(runtime.recent(10)).isEmpty();
		}
	}

	@Test
	void shellCommandsAreRejectedUnlessAllowed() throws Exception {
		SecurityPolicy noShell = new SecurityPolicy(Set.of(), false, SecurityPolicy.EnvInheritance.INHERIT, Set.of(),
				List.of());
		try (ExecraRuntime runtime = runtime(noShell)) {
			assertThatThrownBy(() -> runtime.spawn(Command.shell("echo hi | wc -l")))
				.isInstanceOf(JobRejectedException.class)
				.hasMessageContaining("allow-shell");
		}
		try (ExecraRuntime runtime = ExecraRuntime.inMemory()) {
			assertThat(runtime.spawn(Command.shell("echo hi | wc -l")).await()).isInstanceOf(Outcome.Succeeded.class);
		}
	}

	@Test
	void environmentInheritanceCanBeNarrowed() throws Exception {
		SecurityPolicy allowList = new SecurityPolicy(Set.of(), true, SecurityPolicy.EnvInheritance.ALLOW_LIST,
				Set.of("PATH"), List.of());
		try (ExecraRuntime runtime = runtime(allowList)) {
			JobHandle job = runtime.spawn(Command.of("env").env("MINE", "1"));
			job.await();
			assertThat(TestJobs.lines(TestJobs.allEvents(job))).extracting((line) -> line.split("=")[0])
				.containsExactlyInAnyOrder("PATH", "MINE", "EXECRA_JOB_ID");
		}
	}

	@Test
	void redactedValuesNeverReachEventsOrTheStore() throws Exception {
		SecurityPolicy redact = new SecurityPolicy(Set.of(), true, SecurityPolicy.EnvInheritance.INHERIT, Set.of(),
				List.of(Pattern.compile("(?<=--token=)\\S+"), Pattern.compile("s3cr3t\\w*")));
		try (ExecraRuntime runtime = runtime(redact)) {
			JobHandle job = runtime.spawn(Command.of("echo", "--token=abc123", "s3cr3tValue").label("deploy s3cr3tX"));
			job.await();
			List<Event> events = TestJobs.allEvents(job);
			assertThat(events.toString()).doesNotContain("abc123").doesNotContain("s3cr3t");
			assertThat(job.snapshot().command().args()).containsExactly("--token=******", "******");
			assertThat(TestJobs.lines(events)).containsExactly("--token=****** ******");
			assertThat(runtime.jobs().list().toString()).doesNotContain("abc123");
			assertThat(runtime.events(job.id(), 0, 100).toString()).doesNotContain("abc123");
		}
	}

}
