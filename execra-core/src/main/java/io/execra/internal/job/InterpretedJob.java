package io.execra.internal.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import io.execra.CommandSpec;
import io.execra.Event;
import io.execra.Finding;
import io.execra.JobId;
import io.execra.Progress;
import io.execra.internal.delivery.Listeners;
import org.jspecify.annotations.Nullable;

/**
 * A job as its interpreter sees it and reports on it: what the {@link InterpreterBridge} reads (id, command,
 * elapsed time, phases) and what it reports (label, progress, findings, summary, the last known error), each report
 * published as an event. The job's snapshot and outcome read the reports back. Not thread-safe: every method is
 * called under the job's lock.
 */
final class InterpretedJob {

	/** Findings kept in an outcome at most; more are still emitted as events. */
	private static final int MAX_FINDINGS_IN_OUTCOME = 10_000;

	private final JobId id;

	private final CommandSpec spec;

	private final Set<Integer> successExitCodes;

	private final Clock clock;

	private final EventSequencer events;

	private final Listeners listeners;

	private final Supplier<Duration> elapsed;

	private final Consumer<byte[]> answers;

	private @Nullable String label;

	private Progress progress = Progress.UNKNOWN;

	private final PhaseStack phases = new PhaseStack();

	private final List<Finding> findings = new ArrayList<>();

	private @Nullable String summary;

	private Event.@Nullable KnownErrorDetected lastKnownError;

	/**
	 * @param id the job
	 * @param spec its command as submitted
	 * @param successExitCodes the exit codes that mean success
	 * @param clock the clock of its events
	 * @param events publishes its events
	 * @param listeners told of findings
	 * @param elapsed the time since the job started
	 * @param answers queues an interpreter's answer for the job's stdin
	 */
	InterpretedJob(JobId id, CommandSpec spec, Set<Integer> successExitCodes, Clock clock, EventSequencer events,
			Listeners listeners, Supplier<Duration> elapsed, Consumer<byte[]> answers) {
		this.id = id;
		this.spec = spec;
		this.successExitCodes = successExitCodes;
		this.clock = clock;
		this.events = events;
		this.listeners = listeners;
		this.elapsed = elapsed;
		this.answers = answers;
		this.label = spec.label();
	}

	JobId id() {
		return this.id;
	}

	CommandSpec spec() {
		return this.spec;
	}

	Set<Integer> successExitCodes() {
		return this.successExitCodes;
	}

	Instant now() {
		return this.clock.instant();
	}

	Duration elapsed() {
		return this.elapsed.get();
	}

	PhaseStack phases() {
		return this.phases;
	}

	/** Appends an event with the next seq (see {@link EventSequencer#emit}). */
	<E extends Event> E emit(LongFunction<E> factory) {
		return this.events.emit(factory);
	}

	/** Closes the phases still open, innermost first, each with a PhaseExited event. */
	void closePhases() {
		while (this.phases.current() != null) {
			int phaseId = this.phases.pop().id();
			emit((seq) -> new Event.PhaseExited(this.id, seq, now(), phaseId));
		}
	}

	// ---- reports -------------------------------------------------------------------------------------------

	void setProgress(Progress progress) {
		this.progress = progress;
		emit((seq) -> new Event.ProgressUpdated(this.id, seq, now(), progress));
	}

	void setLabel(String label) {
		this.label = label;
		emit((seq) -> new Event.LabelUpdated(this.id, seq, now(), label));
	}

	void knownError(String code, String message) {
		this.lastKnownError = emit((seq) -> new Event.KnownErrorDetected(this.id, seq, now(), code, message));
	}

	void addFinding(Finding finding) {
		if (this.findings.size() < MAX_FINDINGS_IN_OUTCOME) {
			this.findings.add(finding);
		}
		emit((seq) -> new Event.FindingEmitted(this.id, seq, now(), finding));
		this.listeners.findingEmitted(finding);
	}

	void setSummary(String summary) {
		this.summary = summary;
	}

	/** Queues an interpreter's answer for the job's stdin; a failure becomes an interpreter_error event. */
	void writeAnswer(byte[] bytes) {
		this.answers.accept(bytes);
	}

	// ---- read back -----------------------------------------------------------------------------------------

	@Nullable String label() {
		return this.label;
	}

	Progress progress() {
		return this.progress;
	}

	List<Finding> findings() {
		return this.findings;
	}

	@Nullable String summary() {
		return this.summary;
	}

	Event.@Nullable KnownErrorDetected lastKnownError() {
		return this.lastKnownError;
	}

}
