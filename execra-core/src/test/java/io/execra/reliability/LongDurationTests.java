package io.execra.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.execra.Command;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.ExecraRuntimeBuilder;
import io.execra.ExecraSettings;
import io.execra.JobHandle;
import io.execra.Outcome;
import io.execra.OutputPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Durations far longer than a {@code long} of nanoseconds holds: each setting and argument either works (a timeout
 * that long means none) or is rejected naming itself, and jobs keep finalizing.
 */
class LongDurationTests {

	/** The longest duration there is. */
	private static final Duration LONGEST = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

	private static final Duration LONG_MAX_SECONDS = Duration.ofSeconds(Long.MAX_VALUE);

	static Stream<Arguments> timeouts() {
		List<Arguments> cases = new ArrayList<>();
		for (Duration duration : List.of(LONG_MAX_SECONDS, LONGEST, Duration.ofDays(200_000))) {
			cases.add(Arguments.of("defaultTimeout " + duration,
					(UnaryOperator<ExecraRuntimeBuilder>) (b) -> b.defaultTimeout(duration), duration, false));
			cases.add(Arguments.of("maxTimeout " + duration,
					(UnaryOperator<ExecraRuntimeBuilder>) (b) -> b.maxTimeout(duration), duration, false));
			cases.add(Arguments.of("Command.timeout " + duration, UnaryOperator.<ExecraRuntimeBuilder>identity(),
					duration, true));
		}
		return cases.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("timeouts")
	void aTimeoutTooLongForNanosecondsMeansNoneAndAHundredJobsFinalize(String name,
			UnaryOperator<ExecraRuntimeBuilder> setting, Duration duration, boolean onCommand) throws Exception {
		Command command = onCommand ? Command.of("true").timeout(duration) : Command.of("true");
		try (ExecraRuntime runtime = setting.apply(ExecraRuntime.builder().maxConcurrent(4)).build()) {
			assertHundredJobsSucceed(runtime, command);
		}
	}

	static Stream<Arguments> periods() {
		return Stream.of(
				Arguments.of("cancelGracePeriod",
						(PeriodSetting) ExecraRuntimeBuilder::cancelGracePeriod),
				Arguments.of("drainGracePeriod", (PeriodSetting) ExecraRuntimeBuilder::drainGracePeriod),
				Arguments.of("partialLineTimeout", (PeriodSetting) ExecraRuntimeBuilder::partialLineTimeout),
				Arguments.of("storeWriteTimeout", (PeriodSetting) ExecraRuntimeBuilder::storeWriteTimeout),
				Arguments.of("heartbeatInterval", (PeriodSetting) (b, d) -> b.heartbeat(d, d)),
				Arguments.of("staleNodeTimeout",
						(PeriodSetting) (b, d) -> b.heartbeat(ExecraSettings.DEFAULT_HEARTBEAT_INTERVAL, d)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("periods")
	void aPeriodTooLongForNanosecondsIsRejectedNamingTheSetting(String name, PeriodSetting setting) {
		for (Duration duration : List.of(LONG_MAX_SECONDS, LONGEST, ExecraSettings.MAX_PERIOD.plusNanos(1))) {
			assertThatIllegalArgumentException().isThrownBy(() -> setting.apply(ExecraRuntime.builder(), duration).build())
				.withMessageContaining("'" + name + "' must be at most " + ExecraSettings.MAX_PERIOD);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("periods")
	void aPeriodAtItsBoundWorksAndAHundredJobsFinalize(String name, PeriodSetting setting) throws Exception {
		try (ExecraRuntime runtime = setting.apply(ExecraRuntime.builder().maxConcurrent(4), ExecraSettings.MAX_PERIOD)
			.build()) {
			assertHundredJobsSucceed(runtime, Command.of("true"));
		}
	}

	@Test
	void nextWithTheLongestTimeoutWaitsForEachEvent() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().build()) {
			JobHandle job = runtime.spawn(Command.of("sh", "-c", "sleep 0.2; echo late"));
			List<Event> events = new ArrayList<>();
			try (EventStream stream = job.events()) {
				for (Event event; (event = stream.next(LONGEST)) != null;) {
					events.add(event);
					if (event.isTerminal()) {
						break;
					}
				}
			}
			assertThat(events).last().isInstanceOf(Event.Finalized.class);
			assertThat(events).anySatisfy((event) -> assertThat(event).isInstanceOf(Event.OutputAppended.class));
		}
	}

	@Test
	void nextOnAllJobsWithTheLongestTimeoutWaitsForAnEvent() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().build(); EventStream all = runtime.subscribe()) {
			runtime.spawn(Command.of("true"));
			assertThat(all.next(LONGEST)).isInstanceOf(Event.JobCreated.class);
		}
	}

	@Test
	void outputWithTheLongestWaitWaitsForTheLine() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().build()) {
			JobHandle job = runtime.spawn(Command.of("sh", "-c", "sleep 0.2; echo late"));
			OutputPage page = runtime.output(job.id(), 0, 1024, LONGEST);
			assertThat(page.chunks()).extracting(OutputPage.Chunk::line).containsExactly("late");
		}
	}

	@Test
	void shutdownWithTheLongestTimeoutWaitsForTheRunningJob() throws Exception {
		ExecraRuntime runtime = ExecraRuntime.builder().build();
		JobHandle job = runtime.spawn(Command.of("sleep", "0.3"));
		runtime.shutdown(LONGEST);
		assertThat(job.outcome()).isDone();
		assertThat(job.outcome().get()).isInstanceOf(Outcome.Succeeded.class);
	}

	private static void assertHundredJobsSucceed(ExecraRuntime runtime, Command command) throws Exception {
		List<JobHandle> jobs = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			jobs.add(runtime.spawn(command));
		}
		for (JobHandle job : jobs) {
			assertThat(job.outcome().get(30, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
		}
		assertThat(runtime.stats().running()).isZero();
	}

	@FunctionalInterface
	interface PeriodSetting {

		ExecraRuntimeBuilder apply(ExecraRuntimeBuilder builder, Duration duration);

	}

}
