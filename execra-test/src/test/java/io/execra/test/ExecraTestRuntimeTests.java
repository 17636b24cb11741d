package io.execra.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import io.execra.Command;
import io.execra.CommandTemplate;
import io.execra.Delivery;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.FailureReason;
import io.execra.Finding;
import io.execra.JobHandle;
import io.execra.JobRejectedException;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.SecurityPolicy;
import io.execra.Stdin;
import io.execra.StdinClosedException;
import org.junit.jupiter.api.Test;

import static io.execra.test.ExecraTestAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ExecraTestRuntimeTests {

	private static final CommandTemplate TRANSCODE = new CommandTemplate("transcode", "ffmpeg",
			List.of("-i", "{input}", "{output}"), Map.of(), null, "Transcode {input}", Set.of("media"), null, Set.of(),
			null);

	private static final CommandTemplate DEPLOY = new CommandTemplate("deploy", "deploy.sh", List.of("{target}"),
			Map.of(), null, null, Set.of(), null, Set.of(), null, Stdin.pipe());

	private final ExecraTestRuntime runtime = ExecraTestRuntime
		.create(ExecraRuntime.builder().preset(TRANSCODE).preset(DEPLOY));

	@Test
	void aScriptedPresetPlaysItsEventsInOrderWithSeqsFromOne() throws Exception {
		this.runtime.whenPreset("transcode").phase("encode").progress(0.5).output("frame=42").succeeds();
		JobHandle job = this.runtime.spawn("transcode", Map.of("input", "in.mp4", "output", "out.webm"));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		List<Event> events = readAll(job.events());
		assertThat(events).extracting(Event::kind)
			.containsExactly("job_created", "job_started", "phase_entered", "progress_updated", "output_appended",
					"exited", "phase_exited", "finalized");
		assertThat(events).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
		assertThat(job.snapshot().progress().asFraction()).hasValue(0.5);
		assertThat(job.snapshot().state()).isEqualTo(JobState.FINALIZED);
	}

	@Test
	void aScriptedJobDeliversEveryEventLosslessly() throws Exception {
		this.runtime.whenPreset("transcode").output("frame=1").output("frame=2").succeeds();
		JobHandle job = this.runtime.spawn("transcode", Map.of("input", "in.mp4", "output", "out.webm"));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		List<Event> lossless = readAll(job.events(Delivery.LOSSLESS));
		assertThat(lossless).isEqualTo(readAll(job.events()));
		assertThat(readAll(this.runtime.subscribe(job.id(), Delivery.LOSSLESS))).isEqualTo(lossless);
	}

	@Test
	void theRenderedArgumentsAndParametersOfASpawnAreRecorded() {
		this.runtime.spawn("transcode", Map.of("input", "in.mp4", "output", "out.webm"));
		assertThat(this.runtime).spawnedCount(1)
			.spawnedPreset("transcode")
			.hasParameter("input", "in.mp4")
			.hasArguments("-i", "in.mp4", "out.webm")
			.hasLabel("Transcode in.mp4")
			.hasTags("media");
	}

	@Test
	void aPresetRenderedWithAnUnknownParameterFailsAsInARealRuntime() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.runtime.spawn("transcode", Map.of("input", "a", "output", "b", "speed", "2")))
			.withMessageContaining("speed");
		assertThat(this.runtime).spawnedNothing();
	}

	@Test
	void aFailingAssertionNamesWhatWasSpawned() {
		this.runtime.spawn(Command.of("git", "status"));
		org.assertj.core.api.Assertions.assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.runtime).spawnedPreset("transcode"))
			.withMessageContaining("[git, status]");
	}

	@Test
	void anUnscriptedCommandSucceedsAndANonZeroExitFails() throws Exception {
		assertThat(this.runtime.spawn(Command.of("true")).await()).isInstanceOf(Outcome.Succeeded.class);
		this.runtime.whenProgram("git").stderr("fatal: not a git repository").exits(128);
		Outcome outcome = this.runtime.spawn(Command.of("git", "status")).await();
		assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class,
				(failed) -> assertThat(failed.reason()).isEqualTo(new FailureReason.NonZeroExit(128)));
	}

	@Test
	void findingsOfTheScriptAreInTheOutcome() throws Exception {
		Finding finding = Finding.info("clip", "short clip");
		this.runtime.whenPreset("transcode").finding(finding).fails(new FailureReason.KnownError("disk", "full"));
		Outcome outcome = this.runtime.spawn("transcode", Map.of("input", "a", "output", "b")).await();
		assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, (failed) -> {
			assertThat(failed.reason()).isEqualTo(new FailureReason.KnownError("disk", "full"));
			assertThat(failed.findings()).containsExactly(finding);
		});
	}

	@Test
	void aPromptWaitsUntilTheJobIsWrittenTo() throws Exception {
		this.runtime.whenPreset("deploy").prompt("Proceed? [y/N]").output("deployed").succeeds();
		JobHandle job = this.runtime.spawn("deploy", Map.of("target", "prod"));
		assertThat(job.snapshot().state()).isEqualTo(JobState.RUNNING);
		assertThat(job.outcome()).isNotDone();
		job.writeLine("y");
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(new String(this.runtime.input(job.id()))).isEqualTo("y\n");
		assertThat(readAll(job.events())).extracting(Event::kind)
			.containsSubsequence("prompt_detected", "output_appended", "finalized");
	}

	@Test
	void writingToAJobWithoutAStdinPipeFails() {
		JobHandle job = this.runtime.spawn(Command.of("cat"));
		assertThatExceptionOfType(StdinClosedException.class).isThrownBy(() -> job.writeLine("x"));
	}

	@Test
	void aJobThatRunsUntilCancelledEndsCancelledWithItsCancelledEventBeforeExited() throws Exception {
		this.runtime.whenProgram("sleep").output("started").runsUntilCancelled();
		JobHandle job = this.runtime.spawn(Command.of("sleep", "60"));
		assertThat(this.runtime.running()).containsExactly(job.id());
		assertThat(this.runtime.cancel(job.id())).isTrue();
		assertThat(job.await()).isInstanceOf(Outcome.Cancelled.class);
		assertThat(job.cancel()).isFalse();
		assertThat(readAll(job.events())).extracting(Event::kind)
			.containsSubsequence("output_appended", "cancelled", "exited", "finalized");
	}

	@Test
	void theSecurityPolicyOfTheSettingsRefusesCommandsAsARealRuntimeDoes() {
		ExecraTestRuntime strict = ExecraTestRuntime.create(ExecraRuntime.builder()
			.securityPolicy(new SecurityPolicy(Set.of("ffmpeg"), false, SecurityPolicy.EnvInheritance.NONE, Set.of(),
					List.of())));
		assertThatExceptionOfType(JobRejectedException.class).isThrownBy(() -> strict.spawn(Command.of("rm", "-rf", "/")))
			.withMessageContaining("rm");
		assertThat(strict.recent(10)).isEmpty();
		assertThat(strict).spawnedProgram("rm");
	}

	@Test
	void aCommandPastTheCommandLimitsIsRefusedAsARealRuntimeDoes() {
		assertThatExceptionOfType(io.execra.CommandLimitExceededException.class)
			.isThrownBy(() -> this.runtime.spawn(Command.of("git").owner("o".repeat(300))))
			.satisfies((ex) -> assertThat(ex.limit()).isEqualTo("MAX_OWNER_LENGTH"));
		assertThat(this.runtime.recent(10)).isEmpty();
	}

	@Test
	void anAllJobsSubscriptionSeesEveryJobFromNowOn() throws Exception {
		try (EventStream all = this.runtime.subscribe()) {
			this.runtime.spawn(Command.of("true"));
			this.runtime.spawn(Command.of("false"));
			List<Event> finalized = new ArrayList<>();
			for (Event event; finalized.size() < 2 && (event = all.next(Duration.ofSeconds(5))) != null;) {
				if (event instanceof Event.Finalized) {
					finalized.add(event);
				}
			}
			assertThat(finalized).hasSize(2);
		}
	}

	@Test
	void anAllJobsSubscriptionWithoutOutputIsNeverGivenALine() throws Exception {
		this.runtime.whenProgram("seq").progress(0.5).output("1", "2", "3").succeeds();
		try (EventStream withoutOutput = this.runtime.subscribeWithoutOutput(); EventStream all = this.runtime.subscribe()) {
			this.runtime.spawn(Command.of("seq", "3"));
			List<String> kinds = kindsUntilFinalized(withoutOutput);
			List<String> allKinds = kindsUntilFinalized(all);
			assertThat(allKinds).contains("output_appended", "progress_updated", "finalized");
			assertThat(kinds).isEqualTo(allKinds.stream().filter((kind) -> !kind.equals("output_appended")).toList());
		}
	}

	private static List<String> kindsUntilFinalized(EventStream stream) throws InterruptedException {
		List<String> kinds = new ArrayList<>();
		for (Event event; !kinds.contains("finalized") && (event = stream.next(Duration.ofSeconds(5))) != null;) {
			kinds.add(event.kind());
		}
		return kinds;
	}

	@Test
	void aJobStreamIsAFlowPublisherThatHonoursDemandAndCompletes() throws Exception {
		this.runtime.whenProgram("seq").output("1", "2", "3");
		JobHandle job = this.runtime.spawn(Command.of("seq", "3"));
		List<Event> received = new ArrayList<>();
		CountDownLatch done = new CountDownLatch(1);
		job.events().subscribe(new Flow.Subscriber<>() {

			private Flow.Subscription subscription;

			@Override
			public void onSubscribe(Flow.Subscription subscription) {
				this.subscription = subscription;
				subscription.request(1);
			}

			@Override
			public void onNext(Event item) {
				received.add(item);
				this.subscription.request(1);
			}

			@Override
			public void onError(Throwable throwable) {
			}

			@Override
			public void onComplete() {
				done.countDown();
			}

		});
		assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(received).hasSize(7).last().isInstanceOf(Event.Finalized.class);
	}

	@Test
	void queriesAndRawOutputReadTheScriptedJobs() throws Exception {
		this.runtime.whenPreset("transcode").output("a", "b");
		JobHandle job = this.runtime.spawn("transcode", Map.of("input", "a", "output", "b"));
		this.runtime.spawn(Command.of("true"));
		assertThat(this.runtime.jobs().tag("media").list()).extracting(io.execra.Job::id).containsExactly(job.id());
		assertThat(this.runtime.output(job.id(), 0, 1024, Duration.ZERO).chunks())
			.extracting(io.execra.OutputPage.Chunk::line)
			.containsExactly("a", "b");
		assertThat(this.runtime.events(job.id(), 5, 100)).extracting(Event::seq).startsWith(6L);
	}

	@Test
	void resetForgetsScriptsJobsAndSpawns() throws Exception {
		this.runtime.whenProgram("git").exits(1);
		this.runtime.spawn(Command.of("git"));
		this.runtime.reset();
		assertThat(this.runtime).spawnedNothing();
		assertThat(this.runtime.recent(10)).isEmpty();
		assertThat(this.runtime.spawn(Command.of("git")).await()).isInstanceOf(Outcome.Succeeded.class);
	}

	private static List<Event> readAll(EventStream stream) throws InterruptedException {
		List<Event> events = new ArrayList<>();
		try (stream) {
			for (Event event; (event = stream.next(Duration.ofSeconds(5))) != null;) {
				events.add(event);
			}
		}
		return events;
	}

}
