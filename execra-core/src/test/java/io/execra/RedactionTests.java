package io.execra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.execra.support.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Redaction of a command's literal secrets: across the cuts of split lines, and wherever the command is shown.
 */
class RedactionTests {

	@TempDir
	Path logs;

	private static SecurityPolicy redacting(String... patterns) {
		return new SecurityPolicy(Set.of(), true, SecurityPolicy.EnvInheritance.INHERIT, Set.of(),
				java.util.Arrays.stream(patterns).map(Pattern::compile).toList());
	}

	private ExecraRuntimeBuilder runtime(String... patterns) {
		return ExecraRuntime.builder().securityPolicy(redacting(patterns)).outputLog(this.logs, false);
	}

	@Test
	void aSecretCutByTheLineLengthCapIsMaskedAsAWholeEverywhereTheOutputGoes() throws Exception {
		try (ExecraRuntime runtime = runtime("s3cr3t\\w*").maxLineLength(16).build()) {
			// 23 bytes: the cap cuts after "0123456789ABs3cr", inside the secret
			JobHandle job = runtime.spawn(Command.of("printf", "%s%s\\n", "0123456789AB", "s3cr3tValue"));
			job.await();
			assertOutputEverywhere(runtime, job, "0123456789AB******");
		}
	}

	@Test
	void aSecretCutByThePartialLineFlushIsMaskedAsAWholeEverywhereTheOutputGoes() throws Exception {
		try (ExecraRuntime runtime = runtime("(?<=--token=)\\S+").partialLineTimeout(Duration.ofMillis(50)).build()) {
			// prints "token: abc", waits for a line on stdin (past the partial-line timeout), then "123"
			JobHandle job = runPastAPartialLine(runtime, "read go; printf '%s\\n' \"${t#???}\"", "go");
			assertOutputEverywhere(runtime, job, "token: ******");
		}
	}

	@Test
	void aPrefixOfASecretHeldBackAtACutIsPublishedWhenTheStreamEnds() throws Exception {
		try (ExecraRuntime runtime = runtime("(?<=--token=)\\S+").partialLineTimeout(Duration.ofMillis(50)).build()) {
			JobHandle job = runPastAPartialLine(runtime, "read go");
			assertOutputEverywhere(runtime, job, "token: abc");
		}
	}

	@Test
	void aLiteralSecretIsMaskedInEveryArgumentTheLabelAndMetadataOfTheRecordedCommand() throws Exception {
		try (ExecraRuntime runtime = runtime("(?<=--token=)\\S+").build()) {
			JobHandle job = runtime.spawn(Command.of("echo", "--token=abc123", "https://example.org/?t=abc123")
				.label("deploy with abc123")
				.metadata("ticket", "rotate abc123"));
			List<Event> events = TestJobs.allEvents(job);
			CommandSpec recorded = job.snapshot().command();
			assertThat(recorded.args()).containsExactly("--token=******", "https://example.org/?t=******");
			assertThat(recorded.label()).isEqualTo("deploy with ******");
			assertThat(recorded.metadata()).containsEntry("ticket", "rotate ******");
			assertThat(job.snapshot().label()).isEqualTo("deploy with ******");
			assertThat(events.toString()).doesNotContain("abc123");
			assertThat(runtime.jobs().list().toString()).doesNotContain("abc123");
			assertThat(runtime.events(job.id(), 0, 100).toString()).doesNotContain("abc123");
			assertThat(job.toString()).doesNotContain("abc123");
		}
	}

	@Test
	void aSecretFoundOnlyInTheLabelIsMaskedInTheArgumentsAndTheOutput() throws Exception {
		try (ExecraRuntime runtime = runtime("(?<=token )\\S+").build()) {
			JobHandle job = runtime.spawn(Command.of("echo", "abc123").label("rotate token abc123"));
			List<Event> events = TestJobs.allEvents(job);
			assertThat(job.snapshot().command().args()).containsExactly("******");
			assertThat(TestJobs.lines(events)).containsExactly("******");
		}
	}

	@Test
	void aSecretFoundInAnEnvironmentVariableIsMaskedInTheOutput() throws Exception {
		try (ExecraRuntime runtime = runtime("(?<=API_TOKEN=)\\S+").build()) {
			JobHandle job = runtime
				.spawn(Command.of("sh", "-c", "echo \"using $API_TOKEN\"").env("API_TOKEN", "tok987"));
			assertThat(TestJobs.lines(TestJobs.allEvents(job))).containsExactly("using ******");
		}
	}

	@Test
	void aRejectedShellCommandLineIsReportedWithTheCommandsSecretsMasked() {
		SecurityPolicy noShell = new SecurityPolicy(Set.of(), false, SecurityPolicy.EnvInheritance.INHERIT, Set.of(),
				List.of(Pattern.compile("(?<=API_TOKEN=)\\S+")));
		try (ExecraRuntime runtime = ExecraRuntime.builder().securityPolicy(noShell).build()) {
			assertThatThrownBy(
					() -> runtime.spawn(Command.shell("curl -H 'auth: tok987' host").env("API_TOKEN", "tok987")))
				.isInstanceOf(JobRejectedException.class)
				.hasMessageContaining("curl -H 'auth: ******' host")
				.hasMessageNotContaining("tok987");
			assertThat(runtime.recent(10)).isEmpty();
		}
	}

	@Test
	void commandToStringShowsNeitherArgumentsNorLabel() {
		Command command = Command.of("deploy", "--token=abc123", "prod").label("deploy abc123");
		assertThat(command.toString()).contains("deploy").contains("2 arguments").doesNotContain("abc123");
	}

	/**
	 * Runs a script that prints the first half of the secret {@code abc123} (given as {@code --token=abc123}) after
	 * {@code token: } without a line break, then goes on with the given commands; once the runtime flushed that
	 * partial line, writes the answers to its stdin and closes it.
	 */
	private static JobHandle runPastAPartialLine(ExecraRuntime runtime, String then, String... answers)
			throws InterruptedException {
		JobHandle job = runtime.spawn(Command
			.of("sh", "-c", "t=${1#*=}; printf 'token: %s' \"${t%???}\"; " + then, "sh", "--token=abc123")
			.stdin(Stdin.pipe()));
		awaitFirstLine(job);
		for (String answer : answers) {
			job.writeLine(answer);
		}
		job.closeStdin();
		job.await();
		return job;
	}

	/** Waits for the job's first output line: the partial line the runtime flushed while the tool waits. */
	private static void awaitFirstLine(JobHandle job) throws InterruptedException {
		try (EventStream events = job.events()) {
			while (true) {
				Event event = events.next(Duration.ofSeconds(30));
				assertThat(event).as("an output line of job %s within 30 s", job.id()).isNotNull();
				if (event instanceof Event.OutputAppended || event instanceof Event.Finalized) {
					return;
				}
			}
		}
	}

	/**
	 * Checks the job's stdout as events, retained output, log file and tail: the parts of each, put back together,
	 * read as expected.
	 */
	private void assertOutputEverywhere(ExecraRuntime runtime, JobHandle job, String expected) throws Exception {
		List<Event> events = TestJobs.allEvents(job);
		assertThat(String.join("", TestJobs.lines(events))).as("events").isEqualTo(expected);
		OutputPage page = runtime.output(job.id(), 0, 1024 * 1024, Duration.ZERO);
		assertThat(String.join("", page.chunks().stream().map(OutputPage.Chunk::line).toList())).as("retained output")
			.isEqualTo(expected);
		List<String> logLines = Files.readAllLines(this.logs.resolve(job.id() + ".log"));
		assertThat(String.join("", logLines.stream().map((line) -> line.split("\t", 3)[2]).toList()))
			.as("output log file")
			.isEqualTo(expected);
		assertThat(job.snapshot().outputTail().replace("\n", "")).as("output tail").isEqualTo(expected);
	}

}
