package io.execra.interpret;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.FailureReason;
import io.execra.Outcome;
import io.execra.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The rsync interpreter, on recorded {@code --info=progress2} output and on a real copy through the runtime.
 */
class RsyncInterpreterTests {

	@TempDir
	Path dir;

	@Test
	void recordedProgress2LinesBecomeBytesWithATotalFromThePercentage() {
		RecordingContext context = RecordingContext.run(Interpreters.rsync(), 0, "         32,768   0%    0.00kB/s    0:00:00  ",
				"      1,234,567  45%   12.34MB/s    0:00:10 (xfr#5, to-chk=10/20)",
				"     10,000,000 100%  365.60MB/s    0:00:00 (xfr#20, to-chk=0/21)",
				"sent 10,003,584 bytes  received 399 bytes  20,007,966.00 bytes/sec",
				"total size is 10,000,000  speedup is 1.00");
		assertThat(context.progress).containsExactly(Progress.bytes(32_768, null), Progress.bytes(1_234_567, 2_743_482L),
				Progress.bytes(10_000_000, 10_000_000L));
		assertThat(context.calls).last()
			.isEqualTo("summary(Synchronized 10,000,000 bytes (sent 10,003,584 bytes, received 399 bytes), speedup 1.00)");
	}

	@Test
	void rsyncErrorLineIsTheKnownErrorAndFileErrorsAreWarnings() {
		RecordingContext context = RecordingContext.run(Interpreters.rsync(), 23,
				"rsync: [sender] change_dir \"/nonexist\" failed: No such file or directory (2)",
				"rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1394) [sender=3.5.0]");
		assertThat(context.calls).containsExactly(
				"warning(rsync_file_error,[sender] change_dir \"/nonexist\" failed: No such file or directory (2))",
				"error(rsync_23,some files/attrs were not transferred (see previous errors) (code 23))");
	}

	@Test
	void realCopyReportsByteProgressToTheTotalAndASummary() throws Exception {
		assumeTrue(RealRun.installed("rsync"), "rsync is not installed (CI installs it); skipping real-tool tests");
		Path source = Files.createDirectory(this.dir.resolve("source"));
		Random random = new Random(42);
		for (int i = 0; i < 20; i++) {
			byte[] bytes = new byte[200_000];
			random.nextBytes(bytes);
			Files.write(source.resolve("file-" + i + ".bin"), bytes);
		}
		try (ExecraRuntime runtime = ExecraRuntime.inMemory()) {
			RealRun run = RealRun
				.of(runtime, Command.of("rsync", "-a", "--info=progress2", "--stats", source + "/",
						this.dir.resolve("target") + "/").interpreter(Interpreters::rsync))
				.assertSucceeded()
				.assertFractionsNeverDecreaseAndReachOne();
			assertThat(run.progress()).last().isEqualTo(Progress.bytes(4_000_000, 4_000_000L));
			assertThat(((Outcome.Succeeded) run.outcome()).summary()).startsWith("Synchronized 4,000,000 bytes (sent ");
			assertThat(this.dir.resolve("target/file-19.bin")).hasSize(200_000);
		}
	}

	@Test
	void realCopyOfAMissingDirectoryFailsWithTheRsyncErrorCode() throws Exception {
		assumeTrue(RealRun.installed("rsync"), "rsync is not installed (CI installs it); skipping real-tool tests");
		try (ExecraRuntime runtime = ExecraRuntime.inMemory()) {
			RealRun run = RealRun.of(runtime, Command.of("rsync", "-a", "--info=progress2",
					this.dir.resolve("missing") + "/", this.dir.resolve("target") + "/").interpreter(Interpreters::rsync));
			run.assertNoInterpreterError();
			assertThat(run.outcome()).isInstanceOfSatisfying(Outcome.Failed.class, (failed) -> assertThat(failed.reason())
				.isInstanceOfSatisfying(FailureReason.KnownError.class, (error) -> assertThat(error.code()).isEqualTo("rsync_23")));
		}
	}

}
