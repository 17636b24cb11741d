package io.execra.test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.execra.Command;
import io.execra.CommandSpec;
import io.execra.Delivery;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraListener;
import io.execra.ExitStatus;
import io.execra.FailureReason;
import io.execra.Finding;
import io.execra.Job;
import io.execra.JobHandle;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.Phase;
import io.execra.Progress;
import io.execra.Stdin;
import io.execra.StdinClosedException;
import org.jspecify.annotations.Nullable;

/**
 * A job played from a {@link JobScript}: it emits the script's events with the {@code seq}s, order and lifecycle of
 * a real job (created, started, the script's events, [cancelled], exited, phase exits, finalized), and answers
 * handle calls as a real job does.
 */
final class ScriptedJob implements JobHandle {

	private static final int SIGTERM = 15;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final JobId id;

	private final Command command;

	private final CommandSpec spec;

	private final String node;

	private final List<JobScript.Step> steps;

	private final JobScript script;

	private final List<ExecraListener> listeners;

	private final Consumer<Event> fanOut;

	private final List<Event> events = new ArrayList<>();

	private final List<Finding> findings = new ArrayList<>();

	private final ByteArrayOutputStream input = new ByteArrayOutputStream();

	private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

	private final Instant createdAt = now();

	private JobState state = JobState.QUEUED;

	private Progress progress = Progress.fraction(0);

	private @Nullable Phase phase;

	private int nextPhaseId = 1;

	private @Nullable Instant finishedAt;

	private @Nullable ExitStatus exit;

	private @Nullable Outcome result;

	private int nextStep;

	private int answeredInput;

	private boolean stdinClosed;

	private boolean cancelRequested;

	ScriptedJob(JobId id, Command command, CommandSpec spec, String node, JobScript script,
			List<ExecraListener> listeners, Consumer<Event> fanOut) {
		this.id = id;
		this.command = command;
		this.spec = spec;
		this.node = node;
		this.script = script;
		this.steps = script.steps();
		this.listeners = listeners;
		this.fanOut = fanOut;
		this.stdinClosed = !(command.stdin() instanceof Stdin.Pipe);
	}

	static Instant now() {
		return Instant.now();
	}

	/** Records the job as created and started, then plays the script up to its first pause. */
	void start() {
		this.lock.lock();
		try {
			append((seq) -> new Event.JobCreated(this.id, seq, now(), this.spec));
			this.listeners.forEach((listener) -> listener.jobCreated(snapshot()));
			this.state = JobState.RUNNING;
			append((seq) -> new Event.JobStarted(this.id, seq, now(), 0));
			this.listeners.forEach((listener) -> listener.jobStarted(snapshot(), Duration.ZERO));
			play();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void play() {
		while (this.state == JobState.RUNNING && this.nextStep < this.steps.size()) {
			JobScript.Step step = this.steps.get(this.nextStep);
			if (step instanceof JobScript.AwaitInput && !this.stdinClosed && this.input.size() == this.answeredInput) {
				return;
			}
			if (step instanceof JobScript.AwaitCancel) {
				return;
			}
			this.nextStep++;
			if (step instanceof JobScript.Emit emit) {
				Event event = append((seq) -> emit.event().apply(this.id, seq));
				observe(event);
			}
			else if (step instanceof JobScript.EnterPhase enter) {
				exitPhase();
				Phase entered = new Phase(this.nextPhaseId++, enter.name(), null);
				this.phase = entered;
				append((seq) -> new Event.PhaseEntered(this.id, seq, now(), entered.id(), entered.name(), null));
			}
			else if (step instanceof JobScript.AwaitInput) {
				this.answeredInput = this.input.size();
			}
		}
		if (this.state == JobState.RUNNING) {
			finish(this.script.exit(), this.script.outcome());
		}
	}

	private void observe(Event event) {
		if (event instanceof Event.ProgressUpdated update) {
			this.progress = update.progress();
		}
		else if (event instanceof Event.FindingEmitted emitted) {
			this.findings.add(emitted.finding());
			this.listeners.forEach((listener) -> listener.findingEmitted(emitted.finding()));
		}
		else if (event instanceof Event.OutputAppended output) {
			this.listeners.forEach((listener) -> listener.outputLines(output.stream(), 1, output.line().length()));
		}
	}

	private void exitPhase() {
		Phase current = this.phase;
		if (current != null) {
			append((seq) -> new Event.PhaseExited(this.id, seq, now(), current.id()));
			this.phase = null;
		}
	}

	private void finish(ExitStatus exit, @Nullable Outcome scripted) {
		this.exit = exit;
		this.state = JobState.EXITED;
		append((seq) -> new Event.Exited(this.id, seq, now(), exit));
		exitPhase();
		Outcome result = outcomeOf(exit, scripted);
		this.finishedAt = now();
		this.result = result;
		this.state = JobState.FINALIZED;
		append((seq) -> new Event.Finalized(this.id, seq, now(), result));
		Job finalized = snapshot();
		Duration duration = Duration.between(this.createdAt, this.finishedAt);
		this.listeners.forEach((listener) -> listener.jobFinalized(finalized, duration));
		this.outcome.complete(result);
	}

	private Outcome outcomeOf(ExitStatus exit, @Nullable Outcome scripted) {
		List<Finding> found = List.copyOf(this.findings);
		if (this.cancelRequested) {
			return new Outcome.Cancelled(found);
		}
		if (scripted instanceof Outcome.Failed failed) {
			return new Outcome.Failed(failed.reason(), failed.summary(), found);
		}
		Integer code = exit.code();
		if (code != null && (code == 0 || this.command.successExitCodes().contains(code))) {
			return new Outcome.Succeeded(null, found);
		}
		FailureReason reason = (code != null) ? new FailureReason.NonZeroExit(code)
				: new FailureReason.Signaled(exit.signal());
		return new Outcome.Failed(reason, null, found);
	}

	private Event append(SeqEvent event) {
		Event made = event.make(this.events.size() + 1L);
		this.events.add(made);
		this.changed.signalAll();
		this.fanOut.accept(made);
		return made;
	}

	/** Makes an event from the seq it gets. */
	private interface SeqEvent {

		Event make(long seq);

	}

	@Override
	public JobId id() {
		return this.id;
	}

	@Override
	public CompletableFuture<Outcome> outcome() {
		return this.outcome.thenApply((result) -> result);
	}

	@Override
	public Outcome await() throws InterruptedException {
		try {
			return this.outcome.get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
	}

	@Override
	public boolean cancel() {
		this.lock.lock();
		try {
			if (this.state == JobState.FINALIZED) {
				return false;
			}
			this.cancelRequested = true;
			append((seq) -> new Event.Cancelled(this.id, seq, now()));
			this.listeners.forEach((listener) -> listener.processSignalled("term"));
			finish(ExitStatus.ofSignal(SIGTERM), null);
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public EventStream events() {
		return new JobEventStream();
	}

	/**
	 * The job's events, as {@link #events()}: a scripted job keeps every event, so every delivery, lossless
	 * included, gets them all.
	 */
	@Override
	public EventStream events(Delivery delivery) {
		if (delivery == null) {
			throw new IllegalArgumentException("'delivery' must not be null");
		}
		return events();
	}

	@Override
	public Job snapshot() {
		this.lock.lock();
		try {
			return new Job(this.id, this.spec, this.state, this.spec.label(), this.spec.tags(), this.progress,
					this.phase, this.createdAt, this.createdAt, this.finishedAt, 0L, this.exit,
					this.result, null, this.node);
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void write(byte[] bytes) {
		this.lock.lock();
		try {
			if (this.stdinClosed || this.state != JobState.RUNNING) {
				throw new StdinClosedException("Job " + this.id + " does not accept input: "
						+ ((this.command.stdin() instanceof Stdin.Pipe) ? "its stdin is closed" : "it has no stdin pipe"));
			}
			this.input.writeBytes(bytes);
			play();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void closeStdin() {
		this.lock.lock();
		try {
			this.stdinClosed = true;
			if (this.state == JobState.RUNNING) {
				play();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Everything written to the job's stdin. */
	byte[] input() {
		this.lock.lock();
		try {
			return this.input.toByteArray();
		}
		finally {
			this.lock.unlock();
		}
	}

	Command command() {
		return this.command;
	}

	List<Event> events(long afterSeq, int limit) {
		this.lock.lock();
		try {
			int from = (int) Math.min(Math.max(afterSeq, 0), this.events.size());
			return List.copyOf(this.events.subList(from, (int) Math.min((long) from + limit, this.events.size())));
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The event at an index, waiting up to a timeout for it; null on timeout. */
	private @Nullable Event eventAt(int index, Duration timeout) throws InterruptedException {
		long nanos = saturatedNanos(timeout);
		this.lock.lock();
		try {
			while (index >= this.events.size()) {
				if (this.state == JobState.FINALIZED || nanos <= 0) {
					return null;
				}
				nanos = this.changed.awaitNanos(nanos);
			}
			return this.events.get(index);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Replays the job's events from its first, then follows it live; complete once Finalized is read. */
	private final class JobEventStream extends ScriptedEventStream {

		private int nextIndex;

		@Override
		protected @Nullable Event poll(Duration timeout) throws InterruptedException {
			Event event = eventAt(this.nextIndex, timeout);
			if (event != null) {
				this.nextIndex++;
				if (event instanceof Event.Finalized) {
					complete();
				}
			}
			return event;
		}

	}

	static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
		}
	}

}
