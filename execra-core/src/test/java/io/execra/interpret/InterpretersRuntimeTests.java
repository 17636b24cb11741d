package io.execra.interpret;

import java.util.ArrayList;
import java.util.List;

import io.execra.Command;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Outcome;
import io.execra.Stdin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.fail;

/**
 * Interpreters driven by the real runtime: prompts answered through stdin, a failing interpreter isolated, rules
 * and JSON lines from a real process, and the built-ins looked up by name.
 */
class InterpretersRuntimeTests {

	private static final String ASKING_SCRIPT = "echo 'Deploy to production? [y/n]'; read answer; "
			+ "echo \"answer was $answer\"; test \"$answer\" = y";

	private final ExecraRuntime runtime = ExecraRuntime.inMemory();

	@AfterEach
	void close() {
		this.runtime.close();
	}

	@Test
	void ruleInterpreterAnswersAPromptThroughStdin() throws Exception {
		RuleInterpreter rules = RuleInterpreter.builder()
			.prompt("^(Deploy to \\w+)\\? \\[y/n\\]$", "$1?", "y")
			.summary("^answer was (.*)$", "answered $1")
			.build();
		RealRun run = RealRun
			.of(this.runtime, Command.of("sh", "-c", ASKING_SCRIPT).stdin(Stdin.pipe()).interpreter(rules))
			.assertSucceeded();
		assertThat(run.events(Event.PromptDetected.class)).extracting(Event.PromptDetected::prompt)
			.containsExactly("Deploy to production?");
		assertThat(((Outcome.Succeeded) run.outcome()).summary()).isEqualTo("answered y");
	}

	@Test
	void callerAnswersADetectedPromptThroughStdin() throws Exception {
		RuleInterpreter rules = RuleInterpreter.builder().prompt("\\[y/n\\]$", "$0").build();
		Command command = Command.of("sh", "-c", ASKING_SCRIPT).stdin(Stdin.pipe()).interpreter(rules);
		JobHandle handle = this.runtime.spawn(command.timeout(RealRun.JOB_TIMEOUT));
		List<Event> events = new ArrayList<>();
		try (EventStream stream = handle.events()) {
			while (!stream.isComplete()) {
				Event event = stream.next(RealRun.JOB_TIMEOUT);
				if (event == null) {
					fail("Job %s: no event within %s; events so far: %s", handle.id(), RealRun.JOB_TIMEOUT, events);
				}
				events.add(event);
				if (event instanceof Event.PromptDetected) {
					handle.writeLine("n");
				}
			}
		}
		assertThat(events).filteredOn(Event.OutputAppended.class::isInstance)
			.extracting((event) -> ((Event.OutputAppended) event).line())
			.containsExactly("Deploy to production? [y/n]", "answer was n");
		assertThat(handle.await()).isInstanceOf(Outcome.Failed.class);
	}

	@Test
	void throwingInterpreterBecomesAnInterpreterErrorAndTheJobStillSucceeds() throws Exception {
		List<String> seen = new ArrayList<>();
		Interpreter throwing = new Interpreter() {

			@Override
			public void onLine(Line line, InterpreterContext context) {
				seen.add(line.text());
				if (line.text().equals("two")) {
					throw new IllegalStateException("cannot parse " + line.text());
				}
				context.summary("saw " + line.text());
			}

			@Override
			public String name() {
				return "fragile";
			}

		};
		RealRun run = RealRun.of(this.runtime,
				Command.of("sh", "-c", "echo one; echo two; echo three").interpreter(() -> throwing));
		assertThat(run.outcome()).isInstanceOfSatisfying(Outcome.Succeeded.class,
				(succeeded) -> assertThat(succeeded.summary()).isEqualTo("saw one"));
		assertThat(run.events(Event.InterpreterError.class)).singleElement().satisfies((error) -> {
			assertThat(error.interpreter()).isEqualTo("fragile");
			assertThat(error.error()).contains("IllegalStateException: cannot parse two");
			assertThat(error.line()).isEqualTo("two");
		});
		assertThat(seen).as("disabled after the failure").containsExactly("one", "two");
	}

	@Test
	void ruleInterpreterDrivesPhasesAndFallbackOnARealProcess() throws Exception {
		RuleInterpreter rules = RuleInterpreter.builder()
			.name("installer")
			.enterPhase("^Downloading (\\S+)", "download", "Downloading $1")
			.byteProgressMb("^(\\d+)/(\\d+) MB$")
			.enterPhase("^Installing", "install", null)
			.phaseRange("download", 0.0, 0.8)
			.phaseRange("install", 0.8, 1.0)
			.fallback()
			.build();
		RealRun run = RealRun.of(this.runtime, Command.of("sh", "-c",
				"echo 'Downloading pkg.tar'; echo '5/10 MB'; echo 'Installing'; echo 'install failed: disk' >&2; exit 3")
			.interpreter(rules));
		run.assertNoInterpreterError();
		assertThat(run.phaseNames()).containsExactly("download", "install");
		assertThat(run.fractions()).containsExactly(0.0, 0.4, 0.8, 0.8, 1.0);
		assertThat(run.outcome()).isInstanceOfSatisfying(Outcome.Failed.class, (failed) -> assertThat(failed.reason())
			.isEqualTo(new io.execra.FailureReason.KnownError("command_error", "install failed: disk")));
	}

	@Test
	void jsonLinesFromARealProcess() throws Exception {
		RealRun run = RealRun.of(this.runtime, Command.of("sh", "-c", "echo 'starting'; "
				+ "echo '{\"type\":\"phase\",\"name\":\"work\"}'; echo '{\"type\":\"progress\",\"fraction\":0.5}'; "
				+ "echo '{\"type\":\"summary\",\"text\":\"all done\"}'").interpreter(Interpreters.byName("json-lines")))
			.assertSucceeded();
		assertThat(run.phaseNames()).containsExactly("work");
		assertThat(run.fractions()).containsExactly(0.5);
		assertThat(run.outcome().message()).isEqualTo("all done");
	}

	@Test
	void builtInsAreFoundByNameAndAreFreshPerCall() {
		assertThat(Interpreters.names()).containsExactly("curl", "ffmpeg", "git", "json-lines", "rsync");
		for (String name : Interpreters.names()) {
			assertThat(Interpreters.byName(name).get()).isNotSameAs(Interpreters.byName(name).get());
		}
		assertThat(Interpreters.ffmpeg()).isNotSameAs(Interpreters.ffmpeg());
		assertThat(Interpreters.byName("git").get().name()).isEqualTo("git");
		assertThatIllegalArgumentException().isThrownBy(() -> Interpreters.byName("ffmpg"))
			.withMessage("Unknown interpreter 'ffmpg'; known interpreters: curl, ffmpeg, git, json-lines, rsync");
	}

	@Test
	void promptEventComesBetweenTheQuestionAndTheAnsweredOutput() throws Exception {
		RuleInterpreter rules = RuleInterpreter.builder().prompt("\\[y/n\\]$", "$0", "y").build();
		RealRun run = RealRun.of(this.runtime,
				Command.of("sh", "-c", ASKING_SCRIPT).stdin(Stdin.pipe()).interpreter(rules));
		List<String> kinds = run.events().stream().map(Event::kind).toList();
		assertThat(kinds).containsSubsequence("output_appended", "prompt_detected", "output_appended", "exited",
				"finalized");
		assertThat(run.events()).extracting(Event::seq).isSorted().doesNotHaveDuplicates();
	}

}
