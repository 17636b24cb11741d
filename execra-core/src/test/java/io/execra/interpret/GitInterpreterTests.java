package io.execra.interpret;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.ExitStatus;
import io.execra.FailureReason;
import io.execra.Outcome;
import io.execra.StdStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The git interpreter, on recorded clone output and on a real {@code git clone --progress} through the runtime.
 */
class GitInterpreterTests {

	@TempDir
	Path dir;

	@Test
	void recordedCloneBecomesPhasesWithAWholeOperationFraction() {
		Interpreter git = Interpreters.git();
		RecordingContext context = new RecordingContext();
		for (String line : new String[] { "Cloning into 'dst'...", "remote: Enumerating objects: 900, done.        ",
				"remote: Counting objects:  50% (450/900)        ", "remote: Counting objects: 100% (900/900), done.",
				"Receiving objects:  50% (450/900)", "Receiving objects: 100% (900/900), 80.00 KiB | 2.00 MiB/s, done.",
				"Resolving deltas: 100% (292/292), done." }) {
			context.feed(git, StdStream.STDERR, line);
		}
		git.onExit(ExitStatus.ofCode(0), context);
		assertThat(context.calls).containsExactly("enter(enumerate,Enumerating objects)", "fraction(0.0)",
				"fraction(0.02)", "exit(enumerate)", "enter(count,Counting objects)", "fraction(0.035)",
				"fraction(0.05)", "exit(count)", "enter(receive,Receiving objects)", "fraction(0.1)",
				"fraction(0.45)", "fraction(0.8)", "exit(receive)", "enter(resolve,Resolving deltas)",
				"fraction(0.95)", "exit(resolve)", "fraction(1.0)", "summary(Cloned into 'dst')");
	}

	@Test
	void firstFatalLineIsTheKnownError() {
		RecordingContext context = RecordingContext.run(Interpreters.git(), 128,
				"fatal: '/nope' does not appear to be a git repository", "fatal: Could not read from remote repository.",
				"warning: redirecting to https://x");
		assertThat(context.calls).containsExactly("error(git_fatal,'/nope' does not appear to be a git repository)",
				"warning(git_warning,redirecting to https://x)");
	}

	@Test
	void realCloneOfALocalRepositoryReportsPhasesWithProgress() throws Exception {
		assumeTrue(RealRun.installed("git"), "git is not installed (CI installs it); skipping real-tool tests");
		Path source = this.dir.resolve("source");
		createRepository(source, 300, 40);
		try (ExecraRuntime runtime = ExecraRuntime.inMemory()) {
			Path target = this.dir.resolve("clone");
			RealRun run = RealRun
				.of(runtime, Command.of("git", "clone", "--progress", source.toUri().toString(), target.toString())
					.interpreter(Interpreters::git))
				.assertSucceeded()
				.assertFractionsNeverDecreaseAndReachOne();
			assertThat(run.phaseNames()).contains("count", "compress", "receive", "resolve");
			assertThat(run.fractions()).as("progress inside the receive phase").anyMatch((f) -> f > 0.1 && f < 0.8);
			assertThat(((Outcome.Succeeded) run.outcome()).summary()).isEqualTo("Cloned into '" + target + "'");
			assertThat(target.resolve("file-0.txt")).exists();
		}
	}

	@Test
	void realCloneOfAMissingRepositoryFailsWithTheFatalMessage() throws Exception {
		assumeTrue(RealRun.installed("git"), "git is not installed (CI installs it); skipping real-tool tests");
		try (ExecraRuntime runtime = ExecraRuntime.inMemory()) {
			Path missing = this.dir.resolve("missing");
			RealRun run = RealRun.of(runtime, Command.of("git", "clone", "--progress", missing.toUri().toString(),
					this.dir.resolve("clone").toString()).interpreter(Interpreters::git));
			assertThat(run.outcome()).isInstanceOfSatisfying(Outcome.Failed.class,
					(failed) -> assertThat(failed.reason()).isInstanceOfSatisfying(FailureReason.KnownError.class,
							(error) -> {
								assertThat(error.code()).isEqualTo("git_fatal");
								assertThat(error.message()).contains("does not appear to be a git repository");
							}));
		}
	}

	/** Creates a repository with many commits in one {@code git fast-import} run (one process, not hundreds). */
	static void createRepository(Path directory, int commits, int files) throws IOException, InterruptedException {
		run(directory.getParent(), null, "git", "init", "-q", directory.toString());
		StringBuilder stream = new StringBuilder();
		for (int commit = 1; commit <= commits; commit++) {
			String message = "commit " + commit + "\n";
			stream.append("commit refs/heads/main\n")
				.append("committer Test <test@example.com> ").append(1_700_000_000L + commit).append(" +0000\n")
				.append("data ").append(message.getBytes(StandardCharsets.UTF_8).length).append('\n').append(message);
			for (int change = 0; change < 3; change++) {
				int file = (commit * 7 + change) % files;
				String content = ("file " + file + " at commit " + commit + "\n").repeat(20 + commit % 13);
				stream.append("M 644 inline file-").append(file).append(".txt\n")
					.append("data ").append(content.getBytes(StandardCharsets.UTF_8).length).append('\n')
					.append(content).append('\n');
			}
		}
		for (int file = 0; file < files; file++) {
			String content = "initial " + file + "\n";
			stream.append("commit refs/heads/main\ncommitter Test <test@example.com> 1800000000 +0000\ndata 4\nfill")
				.append("\nM 644 inline file-").append(file).append(".txt\ndata ").append(content.length())
				.append('\n').append(content).append('\n');
		}
		run(directory, stream.toString(), "git", "fast-import", "--quiet");
		run(directory, null, "git", "symbolic-ref", "HEAD", "refs/heads/main");
		run(directory, null, "git", "reset", "-q", "--hard");
	}

	private static void run(Path cwd, String stdin, String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
		try (OutputStream in = process.getOutputStream()) {
			if (stdin != null) {
				in.write(stdin.getBytes(StandardCharsets.UTF_8));
			}
		}
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", String.join(" ", command)).isTrue();
		assertThat(process.exitValue()).as("exit code of %s", String.join(" ", command)).isZero();
	}

}
