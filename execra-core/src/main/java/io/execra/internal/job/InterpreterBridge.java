package io.execra.internal.job;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.execra.CommandSpec;
import io.execra.Event;
import io.execra.ExitStatus;
import io.execra.Finding;
import io.execra.JobId;
import io.execra.Phase;
import io.execra.Progress;
import io.execra.StdStream;
import io.execra.internal.log.AsciiText;
import io.execra.internal.log.LineRun;
import io.execra.interpret.Interpreter;
import io.execra.interpret.InterpreterContext;
import io.execra.interpret.Line;
import io.execra.interpret.LinePrefilter;
import org.jspecify.annotations.Nullable;

/**
 * Connects a job's {@link Interpreter} to the job ({@link InterpretedJob}): calls it serially (always under the
 * job's lock), turns what it emits into events, and isolates its failures — an exception becomes an
 * {@code interpreter_error} event and disables the interpreter for the rest of the job.
 */
final class InterpreterBridge implements InterpreterContext, LineRun.AsciiLineFilter {

	private final InterpretedJob job;

	private @Nullable Interpreter interpreter;

	private final String name;

	/** The interpreter's prefilter, if it has one. */
	private final @Nullable LinePrefilter prefilter;

	/** The view of the line asked about, moved from line to line. */
	private final AsciiText text = new AsciiText();

	InterpreterBridge(InterpretedJob job, @Nullable Interpreter interpreter, @Nullable String creationFailure) {
		this.job = job;
		this.interpreter = interpreter;
		this.prefilter = (interpreter instanceof LinePrefilter prefilter) ? prefilter : null;
		this.name = (interpreter != null) ? safeName(interpreter) : "interpreter";
		// reported as an interpreter_error with the first line or at exit
		this.pendingFailure = creationFailure;
	}

	private @Nullable String pendingFailure;

	/**
	 * Creates the job's interpreter; a failure to create one (an exception, or {@code null}) is reported as an
	 * {@code interpreter_error} event with the first line or at exit.
	 * @param job the job
	 * @param supplier the command's interpreter supplier, if it has one
	 * @return the bridge, active if there is an interpreter or a failure to report
	 */
	static InterpreterBridge create(InterpretedJob job, @Nullable Supplier<? extends Interpreter> supplier) {
		Interpreter created = null;
		String failure = null;
		if (supplier != null) {
			try {
				created = supplier.get();
				if (created == null) {
					failure = "the interpreter supplier returned null";
				}
			}
			catch (RuntimeException | LinkageError ex) {
				failure = ex.toString();
			}
		}
		return new InterpreterBridge(job, created, failure);
	}

	private static String safeName(Interpreter interpreter) {
		try {
			return interpreter.name();
		}
		catch (RuntimeException ex) {
			return interpreter.getClass().getName();
		}
	}

	/** @return whether {@link #onLine} has anything to do: an interpreter, or its creation failure to report */
	boolean isActive() {
		return this.interpreter != null || this.pendingFailure != null;
	}

	void onLine(Line line) {
		reportPendingFailure();
		Interpreter current = this.interpreter;
		if (current == null) {
			return;
		}
		try {
			current.onLine(line, this);
		}
		catch (RuntimeException | LinkageError | AssertionError | StackOverflowError ex) {
			failed(ex, line.text());
		}
	}

	/**
	 * Whether the interpreter would do nothing with a line of ASCII bytes, asked before the line is decoded for it
	 * (see {@link LinePrefilter}). A failure of the prefilter disables the interpreter, as one of {@code onLine}
	 * does.
	 * @param stream the line's stream
	 * @param bytes the bytes, all ASCII from {@code start} for {@code length}
	 * @param start the first
	 * @param length how many
	 * @return {@code true} if {@link #onLine} may be skipped
	 */
	@Override
	public boolean ignores(StdStream stream, byte[] bytes, int start, int length) {
		LinePrefilter prefilter = this.prefilter;
		if (prefilter == null || this.interpreter == null || this.pendingFailure != null) {
			return false;
		}
		AsciiText line = this.text.of(bytes, start, length);
		try {
			return prefilter.ignores(stream, line);
		}
		catch (RuntimeException | LinkageError | AssertionError | StackOverflowError ex) {
			failed(ex, line.toString());
			return true;
		}
	}

	void onExit(ExitStatus exit) {
		reportPendingFailure();
		Interpreter current = this.interpreter;
		if (current == null) {
			return;
		}
		try {
			current.onExit(exit, this);
		}
		catch (RuntimeException | LinkageError | AssertionError | StackOverflowError ex) {
			failed(ex, null);
		}
		this.interpreter = null;
	}

	private void reportPendingFailure() {
		if (this.pendingFailure != null) {
			String failure = this.pendingFailure;
			this.pendingFailure = null;
			error("could not create the interpreter: " + failure, null);
		}
	}

	private void failed(Throwable ex, @Nullable String line) {
		this.interpreter = null;
		error(ex.toString(), line);
	}

	private void error(String message, @Nullable String line) {
		this.job.emit((seq) -> new Event.InterpreterError(this.job.id(), seq, this.job.now(), this.name, message,
				line));
	}

	@Override
	public JobId jobId() {
		return this.job.id();
	}

	@Override
	public CommandSpec command() {
		return this.job.spec();
	}

	@Override
	public boolean isSuccess(ExitStatus exit) {
		return exit.code() != null && this.job.successExitCodes().contains(exit.code());
	}

	@Override
	public Duration elapsed() {
		return this.job.elapsed();
	}

	@Override
	public @Nullable Phase currentPhase() {
		return this.job.phases().current();
	}

	@Override
	public List<Phase> phases() {
		return this.job.phases().all();
	}

	@Override
	public Phase enterPhase(String name, @Nullable String label) {
		Phase phase = this.job.phases().push(name, label);
		this.job.emit((seq) -> new Event.PhaseEntered(this.job.id(), seq, this.job.now(), phase.id(),
				phase.name(), phase.label()));
		return phase;
	}

	@Override
	public void updatePhase(String label) {
		if (this.job.phases().current() == null) {
			error("updatePhase(\"" + label + "\") with no open phase", null);
			return;
		}
		Phase phase = this.job.phases().relabel(label);
		this.job.emit((seq) -> new Event.PhaseUpdated(this.job.id(), seq, this.job.now(), phase.id(), label));
	}

	@Override
	public void exitPhase() {
		if (this.job.phases().current() == null) {
			error("exitPhase() with no open phase", null);
			return;
		}
		Phase phase = this.job.phases().pop();
		this.job.emit((seq) -> new Event.PhaseExited(this.job.id(), seq, this.job.now(), phase.id()));
	}

	@Override
	public void progress(Progress progress) {
		this.job.setProgress(progress);
	}

	@Override
	public void label(String label) {
		this.job.setLabel(label);
	}

	@Override
	public void warning(@Nullable String code, String message) {
		this.job.emit((seq) -> new Event.WarningDetected(this.job.id(), seq, this.job.now(), code, message));
	}

	@Override
	public void knownError(String code, String message) {
		this.job.knownError(code, message);
	}

	@Override
	public void finding(Finding finding) {
		this.job.addFinding(finding);
	}

	@Override
	public void prompt(String prompt) {
		this.job.emit((seq) -> new Event.PromptDetected(this.job.id(), seq, this.job.now(), prompt));
	}

	@Override
	public void summary(String summary) {
		this.job.setSummary(summary);
	}

	@Override
	public void answer(String text) {
		// queued, written on another thread: a child that does not read stdin must not block the output pumps
		this.job.writeAnswer(text.getBytes(StandardCharsets.UTF_8));
	}

}
