package io.execra.autoconfigure.jpa;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import io.execra.Action;
import io.execra.CommandSpec;
import io.execra.Event;
import io.execra.ExitStatus;
import io.execra.FailureReason;
import io.execra.Finding;
import io.execra.JobId;
import io.execra.Outcome;
import io.execra.Phase;
import io.execra.Progress;
import io.execra.Severity;
import io.execra.StdStream;
import io.execra.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ExecraJsonCodec}.
 */
class ExecraJsonCodecTests {

	private static final JobId ID = new JobId(UUID.fromString("0190f3a2-7b1c-7def-8123-456789abcdef"));

	private static final Instant AT = Instant.parse("2026-01-02T03:04:05.123456789Z");

	private final ExecraJsonCodec codec = new ExecraJsonCodec();

	static Stream<Event> everyEvent() {
		Finding finding = new Finding(Severity.RECOMMENDATION, "outdated", "Update it",
				new Action.RunCommand("Upgrade", "npm", List.of("update", "x"), "/srv"),
				new Finding.RelatedEntity("package", "left-pad"), AT);
		return Stream.of(new Event.JobCreated(ID, 1, AT, command()), new Event.JobStarted(ID, 2, AT, 4242),
				new Event.PhaseEntered(ID, 3, AT, 1, "download", "Downloading"),
				new Event.PhaseEntered(ID, 3, AT, 1, "download", null), new Event.PhaseUpdated(ID, 4, AT, 1, "50%"),
				new Event.PhaseExited(ID, 5, AT, 1), new Event.ProgressUpdated(ID, 6, AT, Progress.fraction(0.125)),
				new Event.LabelUpdated(ID, 7, AT, "Copying"),
				new Event.OutputAppended(ID, 8, AT, StdStream.STDERR, "héllo \u0000 wörld", true),
				new Event.WarningDetected(ID, 9, AT, null, "slow"),
				new Event.WarningDetected(ID, 9, AT, "slow_mirror", "slow"),
				new Event.KnownErrorDetected(ID, 10, AT, "auth_failed", "Authentication failed"),
				new Event.FindingEmitted(ID, 11, AT, finding),
				new Event.FindingEmitted(ID, 11, AT,
						Finding.of(Severity.ERROR, "x", "y").withAction(new Action.Link("Docs", "https://example.com"))),
				new Event.PromptDetected(ID, 12, AT, "Continue? [y/N]"),
				new Event.InterpreterError(ID, 13, AT, "rules", "NullPointerException", null),
				new Event.Exited(ID, 14, AT, ExitStatus.ofSignal(9)), new Event.Exited(ID, 14, AT, ExitStatus.ofCode(0)),
				new Event.Cancelled(ID, 15, AT),
				new Event.Finalized(ID, 16, AT,
						new Outcome.Failed(new FailureReason.TimedOut(Duration.ofMinutes(10)), "late",
								List.of(Finding.info("i", "m")
									.withAction(new Action.Instruction("Retry", "Run it again"))))),
				new Event.Lagged(ID, 17, AT, 20));
	}

	@ParameterizedTest
	@MethodSource("everyEvent")
	void eventRoundTrips(Event event) {
		String json = this.codec.write(Event.class, event);
		assertThat(json).contains("\"kind\":\"" + event.kind() + "\"").contains("\"job\":\"" + ID + "\"");
		assertThat(this.codec.read(Event.class, json)).isEqualTo(event);
	}

	@Test
	void everyEventRecordIsCovered() {
		Set<Class<?>> covered = new java.util.HashSet<>(everyEvent().map(Object::getClass).toList());
		assertThat(covered).containsExactlyInAnyOrderElementsOf(Arrays.asList(Event.class.getPermittedSubclasses()));
	}

	static Stream<Object> everyFailureReasonAndProgress() {
		return Stream.of(new FailureReason.NonZeroExit(2), new FailureReason.Signaled(11),
				new FailureReason.KnownError("quota", "Quota exceeded"), new FailureReason.SpawnFailed("no such file"),
				new FailureReason.TimedOut(Duration.ofMillis(1500)), new FailureReason.OutputLimitExceeded(1024),
				new FailureReason.HostExited("node a restarted"), Progress.UNKNOWN, Progress.indeterminate(null),
				Progress.indeterminate("busy"), Progress.fraction(1), Progress.count(3, 7), Progress.bytes(10, null),
				Progress.bytes(10, 20L));
	}

	@ParameterizedTest
	@MethodSource("everyFailureReasonAndProgress")
	void failureReasonsAndProgressRoundTrip(Object value) {
		Class<?> declared = (value instanceof Progress) ? Progress.class : FailureReason.class;
		assertThat(roundTrip(declared, value)).isEqualTo(value);
	}

	@Test
	void outcomesRoundTrip() {
		for (Outcome outcome : List.of(new Outcome.Succeeded(null, List.of()), new Outcome.Succeeded("ok", List.of()),
				new Outcome.Cancelled(List.of(Finding.info("a", "b"))), new Outcome.Failed(new FailureReason.Signaled(9)))) {
			assertThat(this.codec.read(Outcome.class, this.codec.write(Outcome.class, outcome))).isEqualTo(outcome);
		}
	}

	@Test
	void commandSpecAndPhaseRoundTrip() {
		assertThat(this.codec.read(CommandSpec.class, this.codec.write(CommandSpec.class, command())))
			.isEqualTo(command());
		Phase phase = new Phase(2, "upload", null);
		assertThat(this.codec.read(Phase.class, this.codec.write(Phase.class, phase))).isEqualTo(phase);
	}

	@Test
	void discriminatorsAndValuesUseTheDocumentedShape() {
		assertThat(this.codec.write(Progress.class, Progress.count(1, 2)))
			.isEqualTo("{\"unit\":\"count\",\"done\":1,\"total\":2}");
		assertThat(this.codec.write(Outcome.class, new Outcome.Failed(new FailureReason.NonZeroExit(3))))
			.isEqualTo("{\"kind\":\"failed\",\"reason\":{\"kind\":\"non_zero_exit\",\"code\":3},\"findings\":[]}");
		assertThat(this.codec.write(Event.class, new Event.Cancelled(ID, 15, AT)))
			.isEqualTo("{\"kind\":\"cancelled\",\"job\":\"" + ID + "\",\"seq\":15,\"at\":\"2026-01-02T03:04:05.123456789Z\"}");
		assertThat(this.codec.write(Event.class, new Event.OutputAppended(ID, 1, AT, StdStream.STDOUT, "x", false)))
			.contains("\"stream\":\"stdout\"");
	}

	@Test
	void readingAnUnknownKindFailsWithAStoreException() {
		assertThatExceptionOfType(StoreException.class)
			.isThrownBy(() -> this.codec.read(Event.class, "{\"kind\":\"teleported\",\"job\":\"" + ID + "\"}"))
			.withMessageContaining("teleported");
	}

	@Test
	void unknownPropertiesAreIgnoredSoNewerRowsStayReadable() {
		Event read = this.codec.read(Event.class, "{\"kind\":\"cancelled\",\"job\":\"" + ID
				+ "\",\"seq\":15,\"at\":\"2026-01-02T03:04:05.123456789Z\",\"reason\":\"added later\"}");
		assertThat(read).isEqualTo(new Event.Cancelled(ID, 15, AT));
	}

	@SuppressWarnings("unchecked")
	private <T> T roundTrip(Class<T> type, Object value) {
		return this.codec.read(type, this.codec.write(type, (T) value));
	}

	private static CommandSpec command() {
		return new CommandSpec("exec", "ffmpeg", List.of("-i", "in.mkv", "out.mp4"), List.of("PATH"),
				List.of("DISPLAY"), true, null, "none", "Transcode", Set.of("media", "nightly"),
				Duration.ofMinutes(10), "alice", Map.of("ticket", "EX-1"));
	}

}
