package io.execra.interpret;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import io.execra.Command;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Outcome;
import io.execra.Progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs a command through a real in-memory runtime and collects the job's events, for tests against real tools.
 *
 * @param command what ran
 * @param outcome how it ended
 * @param events every event of the job, from job_created to finalized
 */
record RealRun(Command command, Outcome outcome, List<Event> events) {

	static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

	static RealRun of(ExecraRuntime runtime, Command command) throws InterruptedException {
		JobHandle handle = runtime.spawn(command.timeout(JOB_TIMEOUT));
		return collect(command, handle);
	}

	static RealRun collect(Command command, JobHandle handle) throws InterruptedException {
		List<Event> events = new ArrayList<>();
		try (EventStream stream = handle.events()) {
			while (!stream.isComplete()) {
				Event event = stream.next(JOB_TIMEOUT);
				if (event == null) {
					fail("Job %s (%s): no finalized event within %s; events so far: %s", handle.id(),
							command.argv(), JOB_TIMEOUT, events);
				}
				events.add(event);
			}
		}
		return new RealRun(command, handle.await(), events);
	}

	static boolean installed(String program) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (Files.isExecutable(Path.of(directory, program))) {
				return true;
			}
		}
		return false;
	}

	<E extends Event> List<E> events(Class<E> type) {
		return this.events.stream().filter(type::isInstance).map(type::cast).toList();
	}

	List<Progress> progress() {
		return events(Event.ProgressUpdated.class).stream().map(Event.ProgressUpdated::progress).toList();
	}

	List<Double> fractions() {
		return progress().stream()
			.map(Progress::asFraction)
			.filter(OptionalDouble::isPresent)
			.map(OptionalDouble::getAsDouble)
			.toList();
	}

	List<String> phaseNames() {
		return events(Event.PhaseEntered.class).stream().map(Event.PhaseEntered::name).toList();
	}

	String output() {
		return String.join("\n", events(Event.OutputAppended.class).stream().map(Event.OutputAppended::line).toList());
	}

	/** Asserts the job succeeded, naming the command and the output otherwise; and that no interpreter failed. */
	RealRun assertSucceeded() {
		assertThat(this.outcome).as("outcome of %s; output:%n%s", this.command.argv(), output())
			.isInstanceOf(Outcome.Succeeded.class);
		assertNoInterpreterError();
		return this;
	}

	RealRun assertNoInterpreterError() {
		assertThat(events(Event.InterpreterError.class)).as("interpreter errors of %s", this.command.argv()).isEmpty();
		return this;
	}

	RealRun assertFractionsNeverDecreaseAndReachOne() {
		List<Double> fractions = fractions();
		assertThat(fractions).as("fractions of %s", this.command.argv()).isNotEmpty().isSorted();
		assertThat(fractions.get(fractions.size() - 1)).as("last fraction of %s", this.command.argv()).isEqualTo(1.0);
		return this;
	}

}
