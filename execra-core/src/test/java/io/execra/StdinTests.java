package io.execra;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import io.execra.support.TestJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Interactive stdin through real processes: writes are queued with a bound in bytes and a write timeout, and no
 * caller waits for a process that does not read.
 */
class StdinTests {

	private static final int MEBIBYTE = 1024 * 1024;

	/** Far shorter than the child's life and the write timeout: waiting for either would show. */
	private static final Duration AT_ONCE = Duration.ofSeconds(3);

	private ExecraRuntime runtime;

	@AfterEach
	void close() {
		if (this.runtime != null) {
			this.runtime.close();
		}
	}

	private JobHandle neverReading() throws InterruptedException {
		return started(this.runtime.spawn(Command.of("sleep", "30").stdin(Stdin.pipe())));
	}

	/** The job, once its process has started: writes then go to the pipe, not to the queue kept until the start. */
	private static JobHandle started(JobHandle job) throws InterruptedException {
		try (EventStream events = job.events()) {
			Event event;
			while ((event = events.next(Duration.ofSeconds(10))) != null) {
				if (event instanceof Event.JobStarted) {
					return job;
				}
			}
		}
		throw new AssertionError("Job " + job.id() + " did not start within 10 s");
	}

	@Test
	void writingTenMegabytesToAProcessThatNeverReadsAcceptsUpToTheBoundThenFailsAtOnce() throws Exception {
		this.runtime = ExecraRuntime.builder().stdinLimits(MEBIBYTE, Duration.ofSeconds(30)).build();
		JobHandle job = neverReading();
		byte[] chunk = new byte[64 * 1024];
		long[] accepted = new long[1];
		StdinBufferFullException full = assertTimeoutPreemptively(AT_ONCE, () -> {
			for (int i = 0; i < 160; i++) {
				try {
					job.write(chunk);
					accepted[0] += chunk.length;
				}
				catch (StdinBufferFullException ex) {
					return ex;
				}
			}
			return null;
		});
		assertThat(full).isNotNull();
		assertThat(full.getMessage()).contains(job.id().toString()).contains("stdinBufferBytes")
			.contains(String.valueOf(MEBIBYTE));
		// the bound, plus what the pipe itself holds
		assertThat(accepted[0]).isBetween((long) MEBIBYTE, 2L * MEBIBYTE);
		assertThat(job.cancel()).isTrue();
		assertThat(job.outcome().get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Cancelled.class);
	}

	@Test
	void oneWriteLargerThanTheBoundFailsNamingItAndQueuesNothing() throws Exception {
		this.runtime = ExecraRuntime.builder().stdinLimits(MEBIBYTE, Duration.ofSeconds(30)).build();
		JobHandle job = started(this.runtime.spawn(Command.of("wc", "-c").stdin(Stdin.pipe())));
		assertThatExceptionOfType(StdinBufferFullException.class).isThrownBy(() -> job.write(new byte[10 * MEBIBYTE]))
			.withMessageContaining(job.id().toString())
			.withMessageContaining("10485760 more would pass the bound of 1048576 bytes");
		job.write("abc".getBytes(StandardCharsets.US_ASCII));
		job.closeStdin();
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).containsExactly("3");
	}

	@Test
	void closeStdinAndCancelReturnAtOnceWhileTheProcessDoesNotReadAndTheJobEndsCancelled() throws Exception {
		this.runtime = ExecraRuntime.builder().build();
		JobHandle job = neverReading();
		assertTimeoutPreemptively(AT_ONCE, () -> {
			// more than a pipe holds: the writer is left in a write the process never takes
			job.write(new byte[512 * 1024]);
			job.closeStdin();
			assertThat(job.cancel()).isTrue();
		});
		assertThat(job.outcome().get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Cancelled.class);
	}

	@Test
	void bytesTheProcessDoesNotTakeWithinTheWriteTimeoutAreDroppedWithAWarningAndLaterWritesFail()
			throws Exception {
		this.runtime = ExecraRuntime.builder().stdinLimits(MEBIBYTE, Duration.ofMillis(300)).build();
		JobHandle job = neverReading();
		job.write(new byte[512 * 1024]);
		Event.WarningDetected warning = null;
		try (EventStream events = job.events()) {
			Event event;
			while (warning == null && (event = events.next(Duration.ofSeconds(10))) != null) {
				if (event instanceof Event.WarningDetected detected) {
					warning = detected;
				}
			}
		}
		assertThat(warning).isNotNull();
		assertThat(warning.code()).isEqualTo("stdin_write_timeout");
		assertThat(warning.message()).contains("stdinWriteTimeout").contains("300 ms");
		assertThatExceptionOfType(StdinClosedException.class).isThrownBy(() -> job.writeLine("more"))
			.withMessageContaining(job.id().toString())
			.withMessageContaining("stdinWriteTimeout");
		assertTimeoutPreemptively(AT_ONCE, () -> assertThat(job.cancel()).isTrue());
		assertThat(job.outcome().get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Cancelled.class);
	}

	@Test
	void afterTheWriteTimeoutAProcessThatReadsAgainGetsEndOfFileAfterWhatThePipeHeld() throws Exception {
		this.runtime = ExecraRuntime.builder().stdinLimits(MEBIBYTE, Duration.ofMillis(300)).build();
		JobHandle job = started(
				this.runtime.spawn(Command.shell("sleep 2; cat >/dev/null; echo eof").stdin(Stdin.pipe())));
		job.write("y\n".repeat(256 * 1024).getBytes(StandardCharsets.US_ASCII));
		assertThat(job.outcome().get(20, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
		List<Event> events = TestJobs.allEvents(job);
		assertThat(events).anySatisfy((event) -> assertThat(event).isInstanceOfSatisfying(Event.WarningDetected.class,
				(warning) -> assertThat(warning.code()).isEqualTo("stdin_write_timeout")));
		assertThat(TestJobs.lines(events)).containsExactly("eof");
	}

	@Test
	void aPipeTheProcessClosedMakesAWriteAfterItFailWithThePipesError() throws Exception {
		this.runtime = ExecraRuntime.builder().build();
		JobHandle job = started(this.runtime.spawn(Command.shell("exec 0<&-; sleep 30").stdin(Stdin.pipe())));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThatExceptionOfType(StdinClosedException.class)
				.isThrownBy(() -> job.writeLine("anyone there?"))
				.withMessageContaining(job.id().toString())
				.withMessageContaining("could not write to stdin"));
		job.cancel();
		assertThat(job.outcome().get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Cancelled.class);
	}

	@Test
	void aReadingProcessGetsEveryLineInOrderAndEndOfFileAfterTheLast() throws Exception {
		this.runtime = ExecraRuntime.builder().build();
		JobHandle job = started(this.runtime.spawn(Command.of("cat").stdin(Stdin.pipe())));
		List<String> expected = IntStream.rangeClosed(1, 5000).mapToObj((i) -> "line " + i).toList();
		for (String line : expected) {
			job.writeLine(line);
		}
		job.closeStdin();
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		List<String> lines = new ArrayList<>();
		long after = 0;
		OutputPage page;
		while (!(page = this.runtime.output(job.id(), after, MEBIBYTE, Duration.ZERO)).chunks().isEmpty()) {
			page.chunks().forEach((chunk) -> lines.add(chunk.line()));
			after = page.nextSeq();
		}
		assertThat(lines).isEqualTo(expected);
	}

	@Test
	void manyMegabytesWrittenAsTheBufferAllowsReachAReadingProcessByteForByte() throws Exception {
		this.runtime = ExecraRuntime.builder().stdinLimits(256 * 1024, Duration.ofSeconds(30)).build();
		JobHandle job = started(this.runtime.spawn(Command.of("sha256sum").stdin(Stdin.pipe())));
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		byte[] chunk = new byte[48 * 1024];
		for (int i = 0; i < 100; i++) {
			for (int j = 0; j < chunk.length; j++) {
				chunk[j] = (byte) (i * 31 + j);
			}
			digest.update(chunk);
			writeWhenThereIsRoom(job, chunk);
		}
		job.closeStdin();
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(TestJobs.lines(TestJobs.allEvents(job)))
			.containsExactly(HexFormat.of().formatHex(digest.digest()) + "  -");
	}

	/** What a caller streaming more than the bound does: retries a write the full buffer refused. */
	private static void writeWhenThereIsRoom(JobHandle job, byte[] bytes) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (true) {
			try {
				job.write(bytes);
				return;
			}
			catch (StdinBufferFullException ex) {
				assertThat(System.nanoTime()).as("room in the stdin buffer within 30 s").isLessThan(deadline);
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		}
	}

	@Test
	void anAnswerWrittenThenStdinClosedIsReadBeforeEndOfFile() throws Exception {
		this.runtime = ExecraRuntime.builder().build();
		JobHandle job = started(this.runtime.spawn(Command.of("sh", "-c",
				"printf 'Proceed? [y/N]\\n'; read answer; echo \"got $answer\"; cat; echo eof").stdin(Stdin.pipe())));
		job.writeLine("y");
		job.closeStdin();
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).containsExactly("Proceed? [y/N]", "got y", "eof");
	}

	@Test
	void writesBeforeTheProcessStartsAreDeliveredOnceItStartsAndBoundedLikeTheOthers() throws Exception {
		this.runtime = ExecraRuntime.builder().maxConcurrent(1).stdinLimits(1024, Duration.ofSeconds(30)).build();
		JobHandle first = this.runtime.spawn(Command.of("sleep", "30"));
		JobHandle queued = this.runtime.spawn(Command.of("cat").stdin(Stdin.pipe()));
		queued.writeLine("early");
		assertThatExceptionOfType(StdinBufferFullException.class).isThrownBy(() -> queued.write(new byte[1024]))
			.withMessageContaining("waiting for the process to start");
		queued.closeStdin();
		first.cancel();
		assertThat(queued.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(TestJobs.lines(TestJobs.allEvents(queued))).containsExactly("early");
	}

}
