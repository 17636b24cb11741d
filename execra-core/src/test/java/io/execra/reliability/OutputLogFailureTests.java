package io.execra.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.execra.Command;
import io.execra.Event;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Outcome;
import io.execra.RawOutputPolicy;
import io.execra.support.TestJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The raw-output log cannot be written (disk full): the job still finishes with its outcome, every line is still
 * published, and a warning event explains the log failure. The full disk is a 64 KB tmpfs, mounted when the tests
 * run as root on Linux (skipped otherwise).
 */
class OutputLogFailureTests {

	@TempDir
	Path dir;

	private Path full;

	private ExecraRuntime runtime;

	@BeforeEach
	void mountTinyFileSystem() throws Exception {
		this.full = Files.createDirectory(this.dir.resolve("full"));
		assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", this.full.toString()),
				"needs root to mount a 64 KB tmpfs");
		this.runtime = ExecraRuntime.builder().rawOutput(RawOutputPolicy.FILE, this.full).build();
	}

	@AfterEach
	void unmount() throws Exception {
		if (this.runtime != null) {
			this.runtime.close();
		}
		run("umount", this.full.toString());
	}

	@Test
	void diskFullForTheOutputLogWarnsAndTheJobStillFinishes() throws Exception {
		// about 1.2 MB of log lines for a 64 KB file system
		JobHandle job = this.runtime.spawn(Command.of("seq", "1", "200000"));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		// the warning came early and left the replay window long ago: read the job's history without output
		List<Event> history = this.runtime.events(job.id(), 0, 1000);
		assertThat(history).filteredOn(Event.WarningDetected.class::isInstance)
			.map(Event.WarningDetected.class::cast)
			.singleElement()
			.satisfies((warning) -> {
				assertThat(warning.code()).isEqualTo("output_log_failed");
				assertThat(warning.message()).contains(this.full.toString()).contains("No space left on device");
			});
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).last().isEqualTo("200000");
		Serving.assertStillServing(this.runtime);
	}

	private static boolean run(String... argv) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(argv).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
	}

}
