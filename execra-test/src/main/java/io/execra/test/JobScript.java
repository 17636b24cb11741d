package io.execra.test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import io.execra.Event;
import io.execra.ExitStatus;
import io.execra.FailureReason;
import io.execra.Finding;
import io.execra.JobId;
import io.execra.Outcome;
import io.execra.Progress;
import io.execra.StdStream;
import org.jspecify.annotations.Nullable;

/**
 * What a scripted job does, step by step: the events it emits in order, where it waits for input or for a cancel,
 * and how it ends. A job that ends no other way {@link #succeeds() succeeds} with exit code 0.
 * <p>
 * Steps up to the first {@link #prompt(String) prompt} or {@link #runsUntilCancelled() wait} are played while
 * {@code spawn} runs, so a test sees the same events in the same order on every run; a prompt resumes when the job
 * is written to or its stdin is closed.
 * <pre>{@code
 * runtime.whenPreset("transcode").progress(0.5).output("frame=42").succeeds();
 * runtime.whenProgram("git").stderr("fatal: not a git repository").exits(128);
 * }</pre>
 */
public final class JobScript {

	/** Makes one event of a step, given the job and the seq it gets. */
	interface EventFactory extends BiFunction<JobId, Long, Event> {

	}

	/** One step: an event to emit, or a pause. */
	sealed interface Step {

	}

	record Emit(EventFactory event) implements Step {

	}

	record EnterPhase(String name) implements Step {

	}

	record AwaitInput() implements Step {

	}

	record AwaitCancel() implements Step {

	}

	private final List<Step> steps = new ArrayList<>();

	private ExitStatus exit = ExitStatus.ofCode(0);

	private @Nullable Outcome outcome;

	JobScript() {
	}

	/**
	 * Emits lines on stdout.
	 * @param lines the lines
	 * @return this script
	 */
	public JobScript output(String... lines) {
		return lines(StdStream.STDOUT, lines);
	}

	/**
	 * Emits lines on stderr.
	 * @param lines the lines
	 * @return this script
	 */
	public JobScript stderr(String... lines) {
		return lines(StdStream.STDERR, lines);
	}

	private JobScript lines(StdStream stream, String... lines) {
		for (String line : lines) {
			emit((id, seq) -> new Event.OutputAppended(id, seq, ScriptedJob.now(), stream, line, false));
		}
		return this;
	}

	/**
	 * Emits a progress update.
	 * @param fraction the fraction done, from 0 to 1
	 * @return this script
	 */
	public JobScript progress(double fraction) {
		Progress progress = Progress.fraction(fraction);
		return emit((id, seq) -> new Event.ProgressUpdated(id, seq, ScriptedJob.now(), progress));
	}

	/**
	 * Enters a phase, exiting the phase entered before it, if any.
	 * @param name the phase's name
	 * @return this script
	 */
	public JobScript phase(String name) {
		this.steps.add(new EnterPhase(name));
		return this;
	}

	/**
	 * Emits a warning.
	 * @param message the warning
	 * @return this script
	 */
	public JobScript warning(String message) {
		return emit((id, seq) -> new Event.WarningDetected(id, seq, ScriptedJob.now(), null, message));
	}

	/**
	 * Emits a finding; the job's outcome lists it.
	 * @param finding the finding
	 * @return this script
	 */
	public JobScript finding(Finding finding) {
		return emit((id, seq) -> new Event.FindingEmitted(id, seq, ScriptedJob.now(), finding));
	}

	/**
	 * Emits any event; the job and seq are the scripted job's.
	 * @param event makes the event from the job's id and the event's seq
	 * @return this script
	 */
	public JobScript event(BiFunction<JobId, Long, Event> event) {
		return emit(event::apply);
	}

	/**
	 * Emits a prompt, then waits until the job is written to or its stdin is closed.
	 * @param prompt the prompt
	 * @return this script
	 */
	public JobScript prompt(String prompt) {
		emit((id, seq) -> new Event.PromptDetected(id, seq, ScriptedJob.now(), prompt));
		this.steps.add(new AwaitInput());
		return this;
	}

	/**
	 * Keeps the job running until it is cancelled (or the runtime is shut down).
	 * @return this script
	 */
	public JobScript runsUntilCancelled() {
		this.steps.add(new AwaitCancel());
		return this;
	}

	/**
	 * Ends with exit code 0: {@link Outcome.Succeeded} (the default).
	 * @return this script
	 */
	public JobScript succeeds() {
		this.exit = ExitStatus.ofCode(0);
		this.outcome = null;
		return this;
	}

	/**
	 * Ends with an exit code: {@link Outcome.Succeeded} for 0, else {@link FailureReason.NonZeroExit}.
	 * @param code the exit code
	 * @return this script
	 */
	public JobScript exits(int code) {
		this.exit = ExitStatus.ofCode(code);
		this.outcome = null;
		return this;
	}

	/**
	 * Ends failed for a reason, such as {@code new FailureReason.KnownError("disk_full", "No space left")}.
	 * @param reason the reason
	 * @return this script
	 */
	public JobScript fails(FailureReason reason) {
		this.exit = (reason instanceof FailureReason.Signaled signaled) ? ExitStatus.ofSignal(signaled.signal())
				: ExitStatus.ofCode(1);
		this.outcome = new Outcome.Failed(reason, null, List.of());
		return this;
	}

	private JobScript emit(EventFactory event) {
		this.steps.add(new Emit(event));
		return this;
	}

	List<Step> steps() {
		return List.copyOf(this.steps);
	}

	ExitStatus exit() {
		return this.exit;
	}

	@Nullable Outcome outcome() {
		return this.outcome;
	}

}
