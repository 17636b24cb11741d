package io.execra.interpret;

import java.nio.file.Files;
import java.nio.file.Path;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.ExitStatus;
import io.execra.FailureReason;
import io.execra.Outcome;
import io.execra.StdStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The ffmpeg interpreter, on recorded output and on a real transcode through the runtime.
 */
class FfmpegInterpreterTests {

	@TempDir
	Path dir;

	@Test
	void recordedProgressBlocksBecomeFractionsOfTheInputDuration() {
		Interpreter ffmpeg = Interpreters.ffmpeg();
		RecordingContext context = new RecordingContext();
		context.feed(ffmpeg, StdStream.STDERR, "  Duration: 00:00:04.00, start: 0.000000, bitrate: 45 kb/s");
		for (String line : new String[] { "frame=1", "out_time_us=0", "out_time_ms=0", "progress=continue",
				"frame=50", "out_time_us=2000000", "speed=2x", "progress=continue", "out_time_us=N/A",
				"progress=continue", "frame=99", "out_time_us=3960000", "total_size=1234", "speed=2.5x",
				"progress=end" }) {
			context.feed(ffmpeg, StdStream.STDOUT, line);
		}
		ffmpeg.onExit(ExitStatus.ofCode(0), context);
		assertThat(context.calls).containsExactly("enter(transcode,null)", "fraction(0.0)", "fraction(0.5)",
				"fraction(1.0)", "summary(Transcoded 3.96 s, 99 frames, 1234 bytes at 2.5x)",
				"exit(transcode)");
	}

	@Test
	void withoutADurationProgressIsIndeterminate() {
		RecordingContext context = RecordingContext.run(Interpreters.ffmpeg(), 0, "frame=7", "out_time=00:00:01.5",
				"progress=continue");
		assertThat(context.calls).containsExactly("enter(transcode,null)", "busy(frame 7)", "exit(transcode)");
	}

	@Test
	void missingInputIsAKnownError() {
		Interpreter ffmpeg = Interpreters.ffmpeg();
		RecordingContext context = new RecordingContext();
		context.feed(ffmpeg, StdStream.STDERR, "nope.mp4: No such file or directory");
		ffmpeg.onExit(ExitStatus.ofCode(1), context);
		assertThat(context.calls).containsExactly("error(input_not_found,nope.mp4: No such file or directory)");
	}

	@BeforeEach
	void ffmpegInstalled() {
		assumeTrue(RealRun.installed("ffmpeg"), "ffmpeg is not installed (CI installs it); skipping real-tool tests");
	}

	@Test
	void realTranscodeReportsMonotonicProgressToOneAndASummary() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.inMemory()) {
			Path clip = this.dir.resolve("clip.mp4");
			RealRun.of(runtime, Command.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "lavfi",
					"-i", "testsrc=duration=3:size=320x240:rate=25", "-pix_fmt", "yuv420p", clip.toString()))
				.assertSucceeded();
			Path out = this.dir.resolve("out.mp4");
			RealRun run = RealRun
				.of(runtime, Command.of("ffmpeg", "-nostdin", "-y", "-i", clip.toString(), "-progress", "pipe:1",
						"-nostats", "-stats_period", "0.05", out.toString()).interpreter(Interpreters::ffmpeg))
				.assertSucceeded()
				.assertFractionsNeverDecreaseAndReachOne();
			assertThat(run.fractions()).as("a true fraction from the input's duration").anyMatch((f) -> f < 1.0);
			assertThat(run.phaseNames()).containsExactly("transcode");
			assertThat(((Outcome.Succeeded) run.outcome()).summary()).startsWith("Transcoded ").contains("75 frames");
			assertThat(Files.size(out)).isPositive();
		}
	}

	@Test
	void realTranscodeOfAMissingFileFailsWithAKnownError() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.inMemory()) {
			Path missing = this.dir.resolve("missing.mp4");
			RealRun run = RealRun.of(runtime, Command.of("ffmpeg", "-nostdin", "-i", missing.toString(), "-progress",
					"pipe:1", "-nostats", this.dir.resolve("x.mp4").toString()).interpreter(Interpreters::ffmpeg));
			run.assertNoInterpreterError();
			assertThat(run.outcome()).isInstanceOfSatisfying(Outcome.Failed.class,
					(failed) -> assertThat(failed.reason()).isEqualTo(new FailureReason.KnownError("input_not_found",
							missing + ": No such file or directory")));
		}
	}

}
