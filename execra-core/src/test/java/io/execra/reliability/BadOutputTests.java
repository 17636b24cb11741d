package io.execra.reliability;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.execra.Command;
import io.execra.Event;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Outcome;
import io.execra.Stdin;
import io.execra.StdinClosedException;
import io.execra.interpret.Interpreter;
import io.execra.interpret.InterpreterContext;
import io.execra.interpret.Line;
import io.execra.support.TestJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tools that misbehave on their streams: binary or gigantic output, stdout closed early, stdin used after exit.
 * Each has a defined outcome and the runtime keeps serving.
 */
class BadOutputTests {

	private static final int MAX_LINE = 64 * 1024;

	private final ExecraRuntime runtime = ExecraRuntime.builder().maxLineLength(MAX_LINE).build();

	@AfterEach
	void close() {
		this.runtime.close();
	}

	@Test
	void binaryOutputIsDecodedLossilyAndTheJobSucceeds() throws Exception {
		LineCounter counter = new LineCounter();
		JobHandle job = this.runtime
			.spawn(Command.of("head", "-c", "1048576", "/dev/urandom").interpreter(() -> counter));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(counter.lines.get()).isPositive();
		assertThat(counter.sawReplacementCharacter).isTrue();
		assertThat(counter.longest.get()).isLessThanOrEqualTo(MAX_LINE);
		Serving.assertStillServing(this.runtime);
	}

	@Test
	void hundredMegabyteSingleLineArrivesAsBoundedPartsFlaggedSplit() throws Exception {
		LineCounter counter = new LineCounter();
		long size = 100_000_000L;
		JobHandle job = this.runtime.spawn(Command.shell("head -c " + size + " /dev/zero | tr '\\0' a")
			.interpreter(() -> counter));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		long parts = (size + MAX_LINE - 1) / MAX_LINE;
		// 1526 parts: 1525 of the maximum length, flagged split, and a shorter last one
		assertThat(counter.lines.get()).isEqualTo(parts);
		assertThat(counter.splits.get()).isEqualTo(parts - 1);
		assertThat(counter.characters.get()).isEqualTo(size);
		assertThat(counter.longest.get()).isEqualTo(MAX_LINE);
		Serving.assertStillServing(this.runtime);
	}

	@Test
	void toolThatClosesStdoutAndKeepsRunningEndsWhenItExits() throws Exception {
		long start = System.nanoTime();
		JobHandle job = this.runtime.spawn(Command.shell("echo before; exec 1>&-; sleep 2; echo on-stderr >&2"));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		// finalized when the process exits, not when stdout closes
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).containsExactly("before", "on-stderr");
		Serving.assertStillServing(this.runtime);
	}

	@Test
	void writingToStdinAfterTheProcessExitedIsAClearError() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("true").stdin(Stdin.pipe()));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThatExceptionOfType(StdinClosedException.class).isThrownBy(() -> job.writeLine("too late"))
			.withMessageContaining(job.id().toString())
			.withMessageContaining("the process exited");
		job.closeStdin();
		Serving.assertStillServing(this.runtime);
	}

	@Test
	void cancellingAJobThatHasEndedChangesNothing() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("true"));
		Outcome outcome = job.await();
		assertThat(job.cancel()).isFalse();
		assertThat(job.await()).isEqualTo(outcome);
		assertThat(TestJobs.allEvents(job)).noneMatch(Event.Cancelled.class::isInstance);
	}

	/** Counts what reaches an interpreter, which sees every line in order and never lags. */
	private static final class LineCounter implements Interpreter {

		final AtomicLong lines = new AtomicLong();

		final AtomicLong splits = new AtomicLong();

		final AtomicLong characters = new AtomicLong();

		final AtomicLong longest = new AtomicLong();

		volatile boolean sawReplacementCharacter;

		@Override
		public void onLine(Line line, InterpreterContext context) {
			this.lines.incrementAndGet();
			this.characters.addAndGet(line.text().length());
			this.longest.accumulateAndGet(line.text().length(), Math::max);
			if (!this.sawReplacementCharacter && line.text().indexOf('\uFFFD') >= 0) {
				this.sawReplacementCharacter = true;
			}
			if (isSplit(line)) {
				this.splits.incrementAndGet();
			}
		}

		private static boolean isSplit(Line line) {
			// a part of a split line is exactly the maximum length; the last part is shorter
			return line.text().length() == MAX_LINE;
		}

	}

}
