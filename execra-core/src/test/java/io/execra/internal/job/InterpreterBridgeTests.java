package io.execra.internal.job;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.ReentrantLock;

import io.execra.Command;
import io.execra.Event;
import io.execra.ExecraRuntime;
import io.execra.ExitStatus;
import io.execra.Finding;
import io.execra.JobHandle;
import io.execra.JobId;
import io.execra.Outcome;
import io.execra.Progress;
import io.execra.StdStream;
import io.execra.internal.delivery.EventFanOut;
import io.execra.internal.delivery.Listeners;
import io.execra.internal.log.EventLog;
import io.execra.internal.store.StoreWriter;
import io.execra.interpret.Interpreter;
import io.execra.interpret.InterpreterContext;
import io.execra.interpret.Line;
import io.execra.interpret.LinePrefilter;
import io.execra.store.InMemoryJobStore;
import io.execra.support.TestJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InterpreterBridge}: what an interpreter reports becomes events of its job, and its failures
 * become {@code interpreter_error} events instead of failing the job. Driven on a real {@link InterpretedJob} and
 * {@link EventSequencer}, under the job's lock as the driver calls them.
 */
class InterpreterBridgeTests {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

	private static final ThreadFactory DAEMONS = (task) -> {
		Thread thread = new Thread(task);
		thread.setDaemon(true);
		return thread;
	};

	private final JobId id = JobId.generate(CLOCK);

	private final Listeners listeners = new Listeners(List.of());

	private final StoreWriter storeWriter = new StoreWriter(new InMemoryJobStore(), 1000, DAEMONS, this.listeners);

	private final ReentrantLock lock = new ReentrantLock();

	private final EventSequencer events = new EventSequencer(new EventLog(1000, 1 << 20), this.lock.newCondition(),
			new EventFanOut(100, 1 << 20, CLOCK, DAEMONS, this.listeners), this.storeWriter, 100, 1 << 20);

	private final List<String> answers = new ArrayList<>();

	private final InterpretedJob job = new InterpretedJob(this.id, Command.of("tool", "arg").spec(), Set.of(0, 3),
			CLOCK, this.events, this.listeners, () -> Duration.ofSeconds(7),
			(bytes) -> this.answers.add(new String(bytes, StandardCharsets.UTF_8)));

	@BeforeEach
	void lockTheJob() {
		this.lock.lock();
	}

	@AfterEach
	void unlockTheJob() {
		this.lock.unlock();
		this.storeWriter.stop(Duration.ofSeconds(1));
	}

	private List<Event> emitted() {
		List<Event> emitted = this.events.retained(0, 1000);
		assertThat(emitted).isNotNull();
		return emitted;
	}

	private static Line line(String text) {
		return new Line(StdStream.STDOUT, text, CLOCK.instant(), 1);
	}

	@Test
	void anExceptionFromOnLineBecomesAnInterpreterErrorAndDisablesTheInterpreter() {
		List<String> seen = new ArrayList<>();
		Interpreter parser = new Interpreter() {

			@Override
			public void onLine(Line line, InterpreterContext context) {
				seen.add(line.text());
				if (line.text().equals("boom")) {
					throw new IllegalStateException("parser bug");
				}
			}

			@Override
			public void onExit(ExitStatus exit, InterpreterContext context) {
				seen.add("exit");
			}

			@Override
			public String name() {
				return "parser";
			}

		};
		InterpreterBridge bridge = new InterpreterBridge(this.job, parser, null);
		bridge.onLine(line("a"));
		bridge.onLine(line("boom"));
		assertThat(bridge.isActive()).isFalse();
		bridge.onLine(line("c"));
		bridge.onExit(ExitStatus.ofCode(0));
		assertThat(seen).containsExactly("a", "boom");
		assertThat(emitted()).singleElement().isInstanceOfSatisfying(Event.InterpreterError.class, (error) -> {
			assertThat(error.jobId()).isEqualTo(this.id);
			assertThat(error.seq()).isEqualTo(1);
			assertThat(error.interpreter()).isEqualTo("parser");
			assertThat(error.error()).contains("IllegalStateException", "parser bug");
			assertThat(error.line()).isEqualTo("boom");
		});
	}

	@Test
	void anExceptionFromOnExitBecomesAnInterpreterErrorWithoutALine() {
		Interpreter interpreter = new Interpreter() {

			@Override
			public void onLine(Line line, InterpreterContext context) {
			}

			@Override
			public void onExit(ExitStatus exit, InterpreterContext context) {
				throw new AssertionError("exit bug");
			}

		};
		InterpreterBridge bridge = new InterpreterBridge(this.job, interpreter, null);
		bridge.onExit(ExitStatus.ofCode(1));
		assertThat(emitted()).singleElement().isInstanceOfSatisfying(Event.InterpreterError.class, (error) -> {
			assertThat(error.error()).contains("exit bug");
			assertThat(error.line()).isNull();
		});
	}

	@Test
	void anInterpreterThatCouldNotBeCreatedIsReportedWithTheFirstLine() {
		InterpreterBridge bridge = InterpreterBridge.create(this.job, () -> null);
		assertThat(bridge.isActive()).isTrue();
		assertThat(emitted()).isEmpty();
		bridge.onLine(line("a"));
		assertThat(bridge.isActive()).isFalse();
		assertThat(emitted()).singleElement()
			.isInstanceOfSatisfying(Event.InterpreterError.class, (error) -> assertThat(error.error())
				.isEqualTo("could not create the interpreter: the interpreter supplier returned null"));
	}

	@Test
	void anInterpreterWhoseSupplierThrowsIsReportedAtExit() {
		InterpreterBridge bridge = InterpreterBridge.create(this.job, () -> {
			throw new IllegalArgumentException("no config");
		});
		bridge.onExit(ExitStatus.ofCode(0));
		assertThat(emitted()).singleElement()
			.isInstanceOfSatisfying(Event.InterpreterError.class,
					(error) -> assertThat(error.error()).contains("could not create the interpreter", "no config"));
	}

	@Test
	void noInterpreterIsInactiveAndEmitsNothing() {
		InterpreterBridge bridge = InterpreterBridge.create(this.job, null);
		assertThat(bridge.isActive()).isFalse();
		bridge.onExit(ExitStatus.ofCode(0));
		assertThat(emitted()).isEmpty();
	}

	@Test
	void linesThePrefilterIgnoresMaySkipTheInterpreter() {
		InterpreterBridge bridge = new InterpreterBridge(this.job, new Prefiltered(false), null);
		byte[] bytes = "# comment\nwork\n".getBytes(StandardCharsets.US_ASCII);
		assertThat(bridge.ignores(StdStream.STDOUT, bytes, 0, 9)).isTrue();
		assertThat(bridge.ignores(StdStream.STDOUT, bytes, 10, 4)).isFalse();
		assertThat(emitted()).isEmpty();
	}

	@Test
	void withoutAPrefilterNoLineIsSkipped() {
		InterpreterBridge bridge = new InterpreterBridge(this.job, (line, context) -> {
		}, null);
		byte[] bytes = "# comment".getBytes(StandardCharsets.US_ASCII);
		assertThat(bridge.ignores(StdStream.STDOUT, bytes, 0, bytes.length)).isFalse();
	}

	@Test
	void aFailingPrefilterSkipsTheLineAndDisablesTheInterpreter() {
		InterpreterBridge bridge = new InterpreterBridge(this.job, new Prefiltered(true), null);
		byte[] bytes = "work".getBytes(StandardCharsets.US_ASCII);
		assertThat(bridge.ignores(StdStream.STDOUT, bytes, 0, bytes.length)).isTrue();
		assertThat(bridge.isActive()).isFalse();
		assertThat(emitted()).singleElement().isInstanceOfSatisfying(Event.InterpreterError.class, (error) -> {
			assertThat(error.error()).contains("prefilter bug");
			assertThat(error.line()).isEqualTo("work");
		});
	}

	@Test
	void phasesWarningsAndPromptsAreEmittedAsEventsOfTheJob() {
		InterpreterBridge bridge = new InterpreterBridge(this.job, (line, context) -> {
			context.enterPhase("build", "compiling");
			context.updatePhase("linking");
			context.warning("slow", "taking long");
			context.prompt("Proceed? [y/N]");
			context.exitPhase();
		}, null);
		bridge.onLine(line("x"));
		List<Event> emitted = emitted();
		assertThat(emitted).extracting(Event::jobId).containsOnly(this.id);
		assertThat(emitted).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
		assertThat(emitted.get(0)).isInstanceOfSatisfying(Event.PhaseEntered.class, (entered) -> {
			assertThat(entered.name()).isEqualTo("build");
			assertThat(entered.label()).isEqualTo("compiling");
		});
		assertThat(emitted.get(1)).isInstanceOfSatisfying(Event.PhaseUpdated.class,
				(updated) -> assertThat(updated.label()).isEqualTo("linking"));
		assertThat(emitted.get(2)).isInstanceOfSatisfying(Event.WarningDetected.class, (warning) -> {
			assertThat(warning.code()).isEqualTo("slow");
			assertThat(warning.message()).isEqualTo("taking long");
		});
		assertThat(emitted.get(3)).isInstanceOfSatisfying(Event.PromptDetected.class,
				(prompt) -> assertThat(prompt.prompt()).isEqualTo("Proceed? [y/N]"));
		assertThat(emitted.get(4)).isInstanceOf(Event.PhaseExited.class);
		assertThat(this.job.phases().current()).isNull();
	}

	@Test
	void aPhaseCallWithNoOpenPhaseIsReportedAndTheInterpreterCarriesOn() {
		InterpreterBridge bridge = new InterpreterBridge(this.job, (line, context) -> {
			context.exitPhase();
			context.label("still here");
		}, null);
		bridge.onLine(line("x"));
		assertThat(bridge.isActive()).isTrue();
		assertThat(TestJobs.kinds(emitted())).containsExactly("interpreter_error", "label_updated");
		assertThat(this.job.label()).isEqualTo("still here");
	}

	@Test
	void reportsAreKeptForTheSnapshotAndOutcome() {
		Finding finding = Finding.info("disk", "disk almost full");
		InterpreterBridge bridge = new InterpreterBridge(this.job, (line, context) -> {
			context.progress(Progress.fraction(0.5));
			context.knownError("E42", "no space");
			context.finding(finding);
			context.summary("done");
			context.answer("y\n");
		}, null);
		bridge.onLine(line("x"));
		assertThat(this.job.progress()).isEqualTo(Progress.fraction(0.5));
		assertThat(this.job.lastKnownError()).isNotNull()
			.satisfies((error) -> assertThat(error.code()).isEqualTo("E42"));
		assertThat(this.job.findings()).containsExactly(finding);
		assertThat(this.job.summary()).isEqualTo("done");
		assertThat(this.answers).containsExactly("y\n");
		assertThat(TestJobs.kinds(emitted())).containsExactly("progress_updated", "known_error_detected",
				"finding_emitted");
	}

	@Test
	void theContextDescribesTheJob() {
		InterpreterBridge bridge = new InterpreterBridge(this.job, (line, context) -> {
		}, null);
		assertThat(bridge.jobId()).isEqualTo(this.id);
		assertThat(bridge.command().program()).isEqualTo("tool");
		assertThat(bridge.command().args()).containsExactly("arg");
		assertThat(bridge.isSuccess(ExitStatus.ofCode(3))).isTrue();
		assertThat(bridge.isSuccess(ExitStatus.ofCode(1))).isFalse();
		assertThat(bridge.isSuccess(ExitStatus.ofSignal(9))).isFalse();
		assertThat(bridge.elapsed()).isEqualTo(Duration.ofSeconds(7));
	}

	@Test
	void aJobWhoseInterpreterThrowsStillFinalizes() throws Exception {
		this.lock.unlock();
		try (ExecraRuntime runtime = ExecraRuntime.inMemory()) {
			JobHandle handle = runtime.spawn(Command.of("echo", "x").interpreter(new Interpreter() {

				@Override
				public void onLine(Line line, InterpreterContext context) {
					throw new IllegalStateException("line bug");
				}

				@Override
				public void onExit(ExitStatus exit, InterpreterContext context) {
					throw new IllegalStateException("never called: disabled by the line bug");
				}

			}));
			assertThat(handle.await()).isInstanceOf(Outcome.Succeeded.class);
			List<Event> events = TestJobs.allEvents(handle);
			assertThat(TestJobs.kinds(events)).contains("interpreter_error").endsWith("finalized");
		}
		finally {
			this.lock.lock();
		}
	}

	/** Ignores comment lines without decoding them; its prefilter may fail. */
	private record Prefiltered(boolean failing) implements Interpreter, LinePrefilter {

		@Override
		public void onLine(Line line, InterpreterContext context) {
		}

		@Override
		public boolean ignores(StdStream stream, CharSequence text) {
			if (this.failing) {
				throw new IllegalStateException("prefilter bug");
			}
			return text.toString().startsWith("#");
		}

	}

}
