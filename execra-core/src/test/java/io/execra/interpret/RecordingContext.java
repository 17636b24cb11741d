package io.execra.interpret;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import io.execra.CommandSpec;
import io.execra.ExitStatus;
import io.execra.Finding;
import io.execra.JobId;
import io.execra.Phase;
import io.execra.Progress;
import io.execra.StdStream;
import org.jspecify.annotations.Nullable;

/**
 * An {@link InterpreterContext} that records every call as a short string, such as {@code enter(download,Get x)},
 * {@code fraction(0.5)} or {@code warning(code,message)}, so tests can compare whole sequences.
 */
final class RecordingContext implements InterpreterContext {

	final List<String> calls = new ArrayList<>();

	final List<Progress> progress = new ArrayList<>();

	final List<Finding> findings = new ArrayList<>();

	private final Deque<Phase> phases = new ArrayDeque<>();

	private int nextPhase = 1;

	private long seq;

	/** Feeds stdout lines, then exits with the given code. */
	static RecordingContext run(Interpreter interpreter, int exitCode, String... stdout) {
		RecordingContext context = new RecordingContext();
		for (String line : stdout) {
			context.feed(interpreter, StdStream.STDOUT, line);
		}
		interpreter.onExit(ExitStatus.ofCode(exitCode), context);
		return context;
	}

	void feed(Interpreter interpreter, StdStream stream, String text) {
		interpreter.onLine(new Line(stream, text, Instant.now(), ++this.seq), this);
	}

	@Override
	public JobId jobId() {
		return JobId.generate(java.time.Clock.systemUTC());
	}

	@Override
	public CommandSpec command() {
		throw new UnsupportedOperationException();
	}

	@Override
	public Duration elapsed() {
		return Duration.ZERO;
	}

	@Override
	public @Nullable Phase currentPhase() {
		return this.phases.peekLast();
	}

	@Override
	public List<Phase> phases() {
		return List.copyOf(this.phases);
	}

	@Override
	public Phase enterPhase(String name, @Nullable String label) {
		Phase phase = new Phase(this.nextPhase++, name, label);
		this.phases.addLast(phase);
		this.calls.add("enter(" + name + "," + label + ")");
		return phase;
	}

	@Override
	public void updatePhase(String label) {
		this.calls.add("update(" + label + ")");
	}

	@Override
	public void exitPhase() {
		Phase phase = this.phases.pollLast();
		this.calls.add("exit(" + ((phase != null) ? phase.name() : "NONE") + ")");
	}

	@Override
	public void progress(Progress progress) {
		this.progress.add(progress);
		if (progress instanceof Progress.Fraction fraction) {
			this.calls.add("fraction(" + Math.round(fraction.value() * 1000) / 1000.0 + ")");
		}
		else if (progress instanceof Progress.Indeterminate indeterminate) {
			this.calls.add("busy(" + indeterminate.hint() + ")");
		}
		else {
			this.calls.add("progress(" + progress + ")");
		}
	}

	@Override
	public void label(String label) {
		this.calls.add("label(" + label + ")");
	}

	@Override
	public void warning(@Nullable String code, String message) {
		this.calls.add("warning(" + code + "," + message + ")");
	}

	@Override
	public void knownError(String code, String message) {
		this.calls.add("error(" + code + "," + message + ")");
	}

	@Override
	public void finding(Finding finding) {
		this.findings.add(finding);
		this.calls.add("finding(" + finding.severity() + "," + finding.code() + "," + finding.message() + ")");
	}

	@Override
	public void prompt(String prompt) {
		this.calls.add("prompt(" + prompt + ")");
	}

	@Override
	public void summary(String summary) {
		this.calls.add("summary(" + summary + ")");
	}

	@Override
	public void answer(String text) {
		this.calls.add("answer(" + text.replace("\n", "\\n") + ")");
	}

}
