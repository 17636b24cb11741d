package io.execra.interpret;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.execra.Command;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.FailureReason;
import io.execra.JobHandle;
import io.execra.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A process that writes an error-looking stderr line and then dies by a signal, under each built-in interpreter and
 * a rule interpreter with the fallback: the outcome is the signal, or the cancel, never a known error made from the
 * last stderr line.
 */
class SignalDeathTests {

	/** What ffmpeg printed last before the JVM's shutdown hook killed it in the reported case. */
	private static final String LAST_STDERR_LINE = "cpb: bitrate max/min/avg: 0/0/2000000 buffer size: 0 vbv_delay: N/A";

	private final ExecraRuntime runtime = ExecraRuntime.builder().cancelGracePeriod(Duration.ofSeconds(2)).build();

	@AfterEach
	void close() {
		this.runtime.close();
	}

	static Stream<Arguments> interpreters() {
		Stream<Arguments> builtIns = Interpreters.names()
			.stream()
			.map((name) -> Arguments.of(name, Interpreters.byName(name)));
		Supplier<Interpreter> rules = RuleInterpreter.builder().name("rules").fallback().build()::newInterpreter;
		return Stream.concat(builtIns, Stream.of(Arguments.of("rules with fallback", rules)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("interpreters")
	void processKilledBySignalFailsWithSignaledNotWithItsLastStderrLine(String name,
			Supplier<Interpreter> interpreter) throws Exception {
		JobHandle handle = this.runtime.spawn(Command
			.of("sh", "-c", "echo '" + LAST_STDERR_LINE + "' >&2; kill -KILL $$")
			.interpreter(interpreter));
		Outcome outcome = handle.outcome().get(30, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(outcome).as("outcome under %s", name)
			.isInstanceOfSatisfying(Outcome.Failed.class,
					(failed) -> assertThat(failed.reason()).isEqualTo(new FailureReason.Signaled(9)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("interpreters")
	void cancelledProcessIsCancelledNotAKnownError(String name, Supplier<Interpreter> interpreter) throws Exception {
		JobHandle handle = this.runtime.spawn(Command
			.of("sh", "-c", "echo '" + LAST_STDERR_LINE + "' >&2; echo running; exec sleep 60")
			.interpreter(interpreter));
		awaitOutput(handle, "running");
		assertThat(handle.cancel()).isTrue();
		Outcome outcome = handle.outcome().get(30, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(outcome).as("outcome under %s", name).isInstanceOf(Outcome.Cancelled.class);
		assertThat(this.runtime.events(handle.id(), 0, 1000)).as("events under %s", name)
			.noneMatch(Event.KnownErrorDetected.class::isInstance);
	}

	private static void awaitOutput(JobHandle handle, String line) throws InterruptedException {
		try (EventStream events = handle.events()) {
			Event event;
			while ((event = events.next(Duration.ofSeconds(30))) != null) {
				if (event instanceof Event.OutputAppended output && output.line().equals(line)) {
					return;
				}
			}
		}
		fail("Job %s never printed '%s'", handle.id(), line);
	}

}
