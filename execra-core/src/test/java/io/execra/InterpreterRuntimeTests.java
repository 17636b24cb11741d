package io.execra;

import java.util.List;

import io.execra.interpret.Interpreter;
import io.execra.interpret.InterpreterContext;
import io.execra.interpret.Line;
import io.execra.interpret.LinePrefilter;
import io.execra.support.TestJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the runtime applies what an interpreter emits, and isolates its failures.
 */
class InterpreterRuntimeTests {

	private final ExecraRuntime runtime = ExecraRuntime.inMemory();

	@AfterEach
	void close() {
		this.runtime.close();
	}

	@Test
	void interpreterEventsUpdateTheSnapshotAndTheOutcome() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("sh", "-c", "echo step1; echo step2; echo warn; exit 4")
			.interpreter((line, ctx) -> {
				switch (line.text()) {
					case "step1" -> {
						ctx.enterPhase("build", "Building");
						ctx.progress(Progress.fraction(0.5));
					}
					case "step2" -> {
						ctx.label("Almost done");
						ctx.knownError("compile_failed", "Compilation failed");
					}
					default -> {
						ctx.warning("w1", line.text());
						ctx.finding(Finding.of(Severity.WARNING, "lint", "a lint warning"));
						ctx.summary("1 error, 1 warning");
					}
				}
			}));
		Outcome outcome = job.await();
		assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, (failed) -> {
			assertThat(failed.reason()).isEqualTo(new FailureReason.KnownError("compile_failed", "Compilation failed"));
			assertThat(failed.findings()).extracting(Finding::code).containsExactly("lint");
			assertThat(failed.message()).isEqualTo("1 error, 1 warning");
		});
		List<String> kinds = TestJobs.kinds(TestJobs.allEvents(job));
		assertThat(kinds).containsSubsequence("phase_entered", "progress_updated", "label_updated",
				"known_error_detected", "warning_detected", "finding_emitted", "exited", "phase_exited", "finalized");
		Job snapshot = job.snapshot();
		assertThat(snapshot.label()).isEqualTo("Almost done");
		assertThat(snapshot.progress()).isEqualTo(Progress.fraction(0.5));
	}

	@Test
	void knownErrorIsIgnoredWhenTheProcessSucceeds() throws Exception {
		Outcome outcome = this.runtime
			.spawn(Command.of("echo", "x").interpreter((line, ctx) -> ctx.knownError("e", "not really")))
			.await();
		assertThat(outcome).isInstanceOf(Outcome.Succeeded.class);
	}

	@Test
	void anInterpreterThatThrowsIsDisabledAndTheProcessKeepsRunning() throws Exception {
		int[] calls = new int[1];
		JobHandle job = this.runtime.spawn(Command.of("seq", "1", "5").interpreter((line, ctx) -> {
			calls[0]++;
			if (line.text().equals("2")) {
				throw new IllegalStateException("parser bug");
			}
		}));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(calls[0]).isEqualTo(2);
		List<Event> events = TestJobs.allEvents(job);
		assertThat(events).filteredOn(Event.InterpreterError.class::isInstance)
			.singleElement()
			.satisfies((event) -> {
				Event.InterpreterError error = (Event.InterpreterError) event;
				assertThat(error.error()).contains("parser bug");
				assertThat(error.line()).isEqualTo("2");
			});
		assertThat(TestJobs.lines(events)).hasSize(5);
	}

	/** Counts lines; ignores, without decoding them, the ASCII lines its prefilter turns down. */
	private static final class Prefiltered implements Interpreter, LinePrefilter {

		private final java.util.function.Predicate<CharSequence> ignored;

		private final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

		Prefiltered(java.util.function.Predicate<CharSequence> ignored) {
			this.ignored = ignored;
		}

		@Override
		public void onLine(Line line, InterpreterContext context) {
			this.seen.add(line.text());
			context.label(line.text());
		}

		@Override
		public boolean ignores(StdStream stream, CharSequence text) {
			return this.ignored.test(text);
		}

	}

	@Test
	void linesAnInterpreterIgnoresByItsPrefilterAreNotHandedToItButStillPublished() throws Exception {
		Prefiltered interpreter = new Prefiltered((text) -> text.length() > 0 && text.charAt(0) != '7');
		// a line that is not ASCII is never asked about, nor may be one just before it (its bytes are scanned
		// eight at a time): such lines are decoded for the interpreter, as "7 before" would be anyway
		JobHandle job = this.runtime.spawn(Command.shell("seq 1 80; echo '7 before'; echo 'naïve 7'; echo 7x")
			.interpreter(interpreter));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(interpreter.seen).containsExactly("7", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79",
				"7 before", "naïve 7", "7x");
		List<Event> events = TestJobs.allEvents(job);
		assertThat(TestJobs.lines(events)).hasSize(83);
		assertThat(events).filteredOn(Event.LabelUpdated.class::isInstance).hasSize(14);
	}

	@Test
	void whatAnInterpreterEmitsForALineFollowsThatLineAmongLinesItIgnores() throws Exception {
		Prefiltered interpreter = new Prefiltered((text) -> !text.toString().endsWith("00"));
		// thousands of lines a read: the ignored ones are staged in runs, each run ending at a line interpreted
		List<Event> events;
		try (ExecraRuntime wideWindow = ExecraRuntime.builder().replayLimits(50_000, 64L * 1024 * 1024).build()) {
			JobHandle job = wideWindow.spawn(Command.of("seq", "1", "20000").interpreter(interpreter));
			assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
			events = TestJobs.allEvents(job);
		}
		// every line it does not ignore, and the few that spanned two reads (decoded, so not asked about)
		List<String> hundreds = java.util.stream.IntStream.rangeClosed(1, 200).mapToObj((i) -> i + "00").toList();
		assertThat(interpreter.seen).containsAll(hundreds).hasSizeLessThan(250);
		assertThat(TestJobs.lines(events)).hasSize(20000).startsWith("1", "2").endsWith("19999", "20000");
		for (int i = 0; i < events.size(); i++) {
			if (events.get(i) instanceof Event.LabelUpdated label) {
				assertThat(events.get(i - 1)).isInstanceOfSatisfying(Event.OutputAppended.class,
						(line) -> assertThat(line.line()).isEqualTo(label.label()));
				assertThat(label.seq()).isEqualTo(events.get(i - 1).seq() + 1);
			}
		}
		assertThat(events).filteredOn(Event.LabelUpdated.class::isInstance).hasSize(interpreter.seen.size());
	}

	@Test
	void aPrefilterThatThrowsDisablesTheInterpreterAndTheProcessKeepsRunning() throws Exception {
		Prefiltered interpreter = new Prefiltered((text) -> {
			if (text.toString().equals("3")) {
				throw new IllegalStateException("prefilter bug");
			}
			return false;
		});
		JobHandle job = this.runtime.spawn(Command.of("seq", "1", "5").interpreter(interpreter));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(interpreter.seen).containsExactly("1", "2");
		List<Event> events = TestJobs.allEvents(job);
		assertThat(TestJobs.lines(events)).containsExactly("1", "2", "3", "4", "5");
		assertThat(events).filteredOn(Event.InterpreterError.class::isInstance)
			.singleElement()
			.satisfies((event) -> {
				assertThat(((Event.InterpreterError) event).error()).contains("prefilter bug");
				assertThat(((Event.InterpreterError) event).line()).isEqualTo("3");
			});
	}

	@Test
	void phaseCallsWithNoOpenPhaseAreReportedNotFatal() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("echo", "x").interpreter((line, ctx) -> {
			ctx.exitPhase();
			ctx.label("still here");
		}));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(TestJobs.kinds(TestJobs.allEvents(job))).contains("interpreter_error", "label_updated");
	}

	@Test
	void anInterpreterCanAnswerAPromptThroughStdin() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("sh", "-c", "printf 'Continue? [y/N] \\n'; read answer; echo \"got $answer\"")
			.stdin(Stdin.pipe())
			.interpreter((line, ctx) -> {
				if (line.text().startsWith("Continue?")) {
					ctx.prompt(line.text());
					ctx.answer("y\n");
				}
			}));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		List<Event> events = TestJobs.allEvents(job);
		assertThat(TestJobs.kinds(events)).contains("prompt_detected");
		assertThat(TestJobs.lines(events)).contains("got y");
	}

	@Test
	void aPromptPrintedWithoutANewlineIsDetectedAndAnswered() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("sh", "-c", "printf 'Proceed? [y/N] '; read answer; echo \"got $answer\"")
			.stdin(Stdin.pipe())
			.interpreter(io.execra.interpret.RuleInterpreter.builder().prompt("^Proceed\\?", "Proceed?", "y").build()));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		List<Event> events = TestJobs.allEvents(job);
		assertThat(events).filteredOn(Event.OutputAppended.class::isInstance)
			.extracting((e) -> ((Event.OutputAppended) e).line() + "|" + ((Event.OutputAppended) e).split())
			.containsExactly("Proceed? [y/N] |true", "got y|false");
		assertThat(TestJobs.kinds(events)).containsSubsequence("output_appended", "prompt_detected", "output_appended");
	}

}
