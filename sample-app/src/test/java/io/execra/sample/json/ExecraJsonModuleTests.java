package io.execra.sample.json;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.execra.CommandSpec;
import io.execra.Event;
import io.execra.ExitStatus;
import io.execra.FailureReason;
import io.execra.Finding;
import io.execra.Job;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.Progress;
import io.execra.Severity;
import io.execra.StdStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON the sample's API and event streams send for execra's types.
 */
class ExecraJsonModuleTests {

	private static final JobId ID = JobId.parse("01890a5d-ac96-774b-bcce-b302099a8057");

	private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

	private final JsonMapper mapper = JsonMapper.builder().addModule(new ExecraJsonModule()).build();

	@Test
	void eventStartsWithItsKindAndCarriesItsRecordComponents() {
		JsonNode json = toJson(new Event.OutputAppended(ID, 7, AT, StdStream.STDERR, "Duration: 00:00:20.00", false));

		assertThat(json.propertyNames()).startsWith("kind", "jobId", "seq", "at");
		assertThat(json.get("kind").asString()).isEqualTo("output_appended");
		assertThat(json.get("jobId").asString()).isEqualTo(ID.toString());
		assertThat(json.get("seq").asLong()).isEqualTo(7);
		assertThat(json.get("line").asString()).isEqualTo("Duration: 00:00:20.00");
		assertThat(json.get("stream").asString()).isEqualTo("STDERR");
		assertThat(json.has("terminal")).isFalse();
	}

	@Test
	void everyEventKindIsWrittenAsTheEventReportsIt() {
		List<Event> events = List.of(new Event.JobStarted(ID, 2, AT, 42), new Event.PhaseEntered(ID, 3, AT, 1, "lint", null),
				new Event.PromptDetected(ID, 4, AT, "Proceed with deploy? [y/N]"), new Event.Cancelled(ID, 5, AT),
				new Event.Lagged(ID, 6, AT, 9));

		assertThat(events).allSatisfy((event) -> assertThat(toJson(event).get("kind").asString()).isEqualTo(event.kind()));
	}

	@Test
	void progressCarriesItsTypeAndFraction() {
		JsonNode counted = toJson(new Event.ProgressUpdated(ID, 9, AT, Progress.count(3, 4))).get("progress");
		JsonNode unknown = toJson(new Event.ProgressUpdated(ID, 9, AT, Progress.indeterminate("frame 12"))).get("progress");

		assertThat(counted.get("type").asString()).isEqualTo("Count");
		assertThat(counted.get("fraction").asDouble()).isEqualTo(0.75);
		assertThat(counted.get("done").asLong()).isEqualTo(3);
		assertThat(unknown.get("type").asString()).isEqualTo("Indeterminate");
		assertThat(unknown.get("fraction").isNull()).isTrue();
		assertThat(unknown.get("hint").asString()).isEqualTo("frame 12");
	}

	@Test
	void finalizedOutcomeCarriesItsKindMessageReasonAndFindings() {
		Finding finding = Finding.of(Severity.WARNING, "unused-import", "java.util.List is never used");
		Outcome failed = new Outcome.Failed(new FailureReason.NonZeroExit(2), null, List.of(finding));

		JsonNode outcome = toJson(new Event.Finalized(ID, 20, AT, failed)).get("outcome");

		assertThat(outcome.get("kind").asString()).isEqualTo("failed");
		assertThat(outcome.get("message").asString()).isEqualTo("exited with code 2");
		assertThat(outcome.get("reason").get("kind").asString()).isEqualTo("non_zero_exit");
		assertThat(outcome.get("reason").get("code").asInt()).isEqualTo(2);
		assertThat(outcome.get("findings").get(0).get("code").asString()).isEqualTo("unused-import");
		assertThat(outcome.get("findings").get(0).get("severity").asString()).isEqualTo("WARNING");
	}

	@Test
	void jobShowsItsIdAsTextItsOwnerAndCommandLine() {
		CommandSpec command = new CommandSpec("exec", "git", List.of("clone", "--progress", "a", "b"), List.of(),
				List.of(), false, null, "none", "clone", Set.of("vcs"), Duration.ofMinutes(1), "alice",
				Map.of("preset", "clone"));
		Job job = new Job(ID, command, JobState.FINALIZED, "clone", Set.of("vcs"), Progress.fraction(1), null, AT, AT,
				AT, 42L, ExitStatus.ofCode(0), new Outcome.Succeeded("cloned", List.of()), "done", "node-1");

		JsonNode json = toJson(job);

		assertThat(json.get("id").asString()).isEqualTo(ID.toString());
		assertThat(json.get("owner").asString()).isEqualTo("alice");
		assertThat(json.get("state").asString()).isEqualTo("FINALIZED");
		assertThat(json.get("finalized").asBoolean()).isTrue();
		assertThat(json.get("command").get("commandLine").asString()).isEqualTo("git clone --progress a b");
		assertThat(json.get("command").get("metadata").get("preset").asString()).isEqualTo("clone");
		assertThat(json.get("outcome").get("kind").asString()).isEqualTo("succeeded");
		assertThat(json.get("progress").get("fraction").asDouble()).isEqualTo(1.0);
	}

	private JsonNode toJson(Object value) {
		return this.mapper.readTree(this.mapper.writeValueAsString(value));
	}

}
