package io.execra.internal.job;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

import io.execra.Command;
import io.execra.CommandSpec;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExitStatus;
import io.execra.FailureReason;
import io.execra.Job;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.OutputPage;
import io.execra.Outcome;
import io.execra.SecurityPolicy;
import io.execra.StdStream;
import io.execra.StdinBufferFullException;
import io.execra.StdinClosedException;
import io.execra.interpret.Interpreter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.execra.internal.JobOutput;
import io.execra.internal.delivery.JobEventStream;
import io.execra.internal.log.EventLog;
import io.execra.internal.process.JobStdin;
import io.execra.internal.process.OutputPipes;
import io.execra.internal.Durations;
import io.execra.internal.process.MarkedProcesses;
import io.execra.internal.process.ProcessLauncher;
import io.execra.internal.process.ProcessSignaller;

/**
 * Drives one job through its lifecycle: start, pump stdout and stderr, watch the exit, interpret, cancel, time
 * out, finalize. Every state change and every event of the job happens under the job's lock, so events get
 * strictly increasing seqs and the interpreter is called serially; the store is written off this path.
 */
public final class JobDriver {

	private static final Logger logger = LoggerFactory.getLogger(JobDriver.class);

	/** Time after the drain-grace kill before pumps still blocked are abandoned. */
	private static final Duration ABANDON_AFTER_KILL = Duration.ofMillis(500);

	/** How long the drain-grace kill may take before the job is abandoned all the same (a stopped signaller). */
	private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

	/** How long the job's thread waits for the exit after stdout ended, before leaving it to onExit. */
	private static final Duration EXIT_AFTER_STDOUT = Duration.ofMillis(100);

	private final JobId id;

	private final Command command;

	private final CommandSpec spec;

	private final Instant createdAt;

	private final long createdNanos = System.nanoTime();

	private final @Nullable Duration timeout;

	private final Map<String, String> environment;

	private final JobServices services;

	private final JobCallbacks callbacks;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final EventLog eventLog;

	private final JobOutput output;

	private final EventSequencer events;

	private final InterpretedJob interpreted;

	private final InterpreterBridge interpreter;

	private final OutputIntake intake;

	private final OutputPump pump;

	private final JobFinalizer finalizer;

	private JobState state = JobState.QUEUED;

	private @Nullable Instant startedAt;

	private long startNanos;

	private @Nullable Instant finishedAt;

	private @Nullable Long pid;

	private @Nullable ExitStatus exit;

	/** The exit as seen by the JDK, before Exited is announced. */
	private @Nullable ExitStatus observedExit;

	private @Nullable Outcome finalOutcome;

	private @Nullable String outputTail;

	private boolean cancelRequested;

	private boolean timedOut;

	private boolean finalizing;

	private OutputPipes outputPipes = OutputPipes.none();

	private int openStreams = 2;

	private @Nullable Process process;

	private final JobStdin stdin;

	private final OutputLimiter limiter;

	private @Nullable ScheduledFuture<?> timeoutTask;

	JobDriver(JobServices services, JobCallbacks callbacks, JobId id, Command command, CommandSpec spec,
			Map<String, String> environment, @Nullable Duration timeout) {
		this.services = services;
		this.callbacks = callbacks;
		this.id = id;
		this.command = command;
		this.spec = spec;
		this.environment = environment;
		this.timeout = timeout;
		this.createdAt = services.clock().instant();
		SecurityPolicy policy = services.settings().securityPolicy();
		List<String> secrets = policy.secretsIn(command);
		OutputMasker masker = secrets.isEmpty() ? null : new OutputMasker(secrets);
		var settings = services.settings();
		this.eventLog = new EventLog(settings.replayMaxEvents(), settings.replayMaxBytes(),
				settings.retainedOutputLines(), settings.retainedOutputBytes());
		this.events = new EventSequencer(this.eventLog, this.changed, services.fanOut(), services.storeWriter(),
				settings.subscriberBufferSize(), settings.subscriberBufferBytes());
		boolean file = settings.rawOutputPolicy() != io.execra.RawOutputPolicy.MEMORY;
		this.output = new JobOutput(id, this.eventLog, settings.outputDirectory(), file,
				settings.rawOutputPolicy() == io.execra.RawOutputPolicy.FILE_GZIP
						|| settings.outputLimitStrategy() == io.execra.OutputLimitStrategy.SPILL_TO_FILE);
		Interpreter created = null;
		String failure = null;
		if (command.interpreter() != null) {
			try {
				created = command.interpreter().get();
				if (created == null) {
					failure = "the interpreter supplier returned null";
				}
			}
			catch (RuntimeException | LinkageError ex) {
				failure = ex.toString();
			}
		}
		this.interpreted = new InterpretedJob(id, spec, command.successExitCodes(), services.clock(), this.events,
				services.listeners(), this::elapsed, this::writeAnswer);
		this.interpreter = new InterpreterBridge(this.interpreted, created, failure);
		this.stdin = new JobStdin(id, command.stdin(), services.jobThreads(), services.scheduler(),
				settings.stdinBufferBytes(), settings.stdinWriteTimeout(), this::stdinTimedOut);
		this.limiter = new OutputLimiter(settings.outputLimitBytes(), settings.outputLimitStrategy());
		this.intake = new OutputIntake(id, services.clock(), this.events, this.output, masker, this.limiter,
				this.interpreter, () -> signal(ProcessSignaller.Signal.KILL));
		this.pump = new OutputPump(id, this.lock, this.events, this.intake, services, this::streamClosed);
		this.finalizer = new JobFinalizer(id, this.lock, this.events, services, () -> this.callbacks.finalized(this));
	}

	// ---- events ------------------------------------------------------------------------------------------

	/** Appends an event with the next seq: event log, live subscribers, store. Call under the lock. */
	private <E extends Event> E emit(LongFunction<E> factory) {
		return this.events.emit(factory);
	}

	public Instant now() {
		return this.services.clock().instant();
	}

	/** Emits JobCreated and records the job. Called once by the runtime, before the job can start. */
	void created() {
		this.lock.lock();
		try {
			// the job's row before any of its events: a store may refuse events of a job it does not know
			Event event = this.events.publish((seq) -> new Event.JobCreated(this.id, seq, now(), this.spec));
			this.services.storeWriter().submit(snapshotLocked(), List.of(event));
			logger.debug("Job {} created: {}", this.id, event);
		}
		finally {
			this.lock.unlock();
		}
	}

	// ---- start --------------------------------------------------------------------------------------------

	/** Starts the process; runs on the job's own thread, which then pumps stdout. */
	void run() {
		InputStream stdout;
		InputStream stderr;
		Process started;
		this.lock.lock();
		try {
			if (this.cancelRequested) {
				finalizeLocked();
				return;
			}
			try {
				ProcessLauncher launcher = this.services.launcher();
				started = launcher.start(this.command, MarkedProcesses.mark(this.environment, this.id),
						launcher.resolve(this.command, this.environment));
			}
			catch (ProcessLauncher.SpawnException | IOException | RuntimeException ex) {
				String error = (ex.getMessage() != null) ? ex.getMessage() : ex.toString();
				logger.debug("Job {} could not start: {}", this.id, error);
				this.finalizingReason = new FailureReason.SpawnFailed(error);
				finalizeLocked();
				return;
			}
			this.process = started;
			this.outputPipes = OutputPipes.of(started);
			this.pid = started.pid();
			this.startedAt = now();
			this.startNanos = System.nanoTime();
			this.state = JobState.RUNNING;
			emit((seq) -> new Event.JobStarted(this.id, seq, now(), started.pid()));
			Job snapshot = snapshotLocked();
			this.services.storeWriter().submit(snapshot, List.of());
			this.services.listeners().jobStarted(snapshot, Duration.ofNanos(this.startNanos - this.createdNanos));
			if (this.timeout != null) {
				this.timeoutTask = this.services.scheduler().get().schedule(this::timedOut, Durations.nanos(this.timeout),
						TimeUnit.NANOSECONDS);
			}
			stdout = started.getInputStream();
			stderr = started.getErrorStream();
		}
		finally {
			if (this.lock.isHeldByCurrentThread()) {
				this.lock.unlock();
			}
		}
		this.stdin.connect(started);
		started.onExit().whenComplete((p, ex) -> exited(started));
		this.services.jobThreads().execute(() -> this.pump.pump(stderr, StdStream.STDERR));
		this.pump.pump(stdout, StdStream.STDOUT);
		awaitExitBriefly(started);
	}

	/**
	 * When stdout ends the process has usually exited: notice it on this thread, woken by the JDK's reaper, rather
	 * than after {@code onExit()}'s hop to another thread (a new thread per job where the common pool has a
	 * single worker). {@code onExit()} still covers a process that outlives its stdout.
	 */
	private void awaitExitBriefly(Process started) {
		try {
			if (started.waitFor(EXIT_AFTER_STDOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				exited(started);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Set before finalizing a job that could not start. */
	private FailureReason.@Nullable SpawnFailed finalizingReason;

	// ---- output -------------------------------------------------------------------------------------------

	/** A stream ended: the job finalizes once both did and the process exited. */
	private void streamClosed() {
		this.lock.lock();
		try {
			this.openStreams--;
			if (this.openStreams == 0 && this.observedExit != null) {
				announceExit();
				finalizeLocked();
			}
		}
		finally {
			if (this.lock.isHeldByCurrentThread()) {
				this.lock.unlock();
			}
		}
	}

	// ---- exit, cancel, timeout ----------------------------------------------------------------------------

	private void exited(Process process) {
		ExitStatus status = exitStatus(process.exitValue());
		this.lock.lock();
		try {
			if (this.observedExit != null) {
				// seen already (by the job's thread after stdout ended, or by onExit)
				return;
			}
			this.observedExit = status;
			if (this.timeoutTask != null) {
				this.timeoutTask.cancel(false);
			}
			this.stdin.end();
			if (this.openStreams == 0) {
				announceExit();
				finalizeLocked();
				return;
			}
			this.services.scheduler().get().schedule(this::drainExpired,
					this.services.settings().drainGracePeriod().toNanos(), TimeUnit.NANOSECONDS);
		}
		finally {
			if (this.lock.isHeldByCurrentThread()) {
				this.lock.unlock();
			}
		}
	}

	/**
	 * Emits Exited once the output is drained (or the drain grace expired), so that for ordinary tools every line
	 * comes before it. Call under the lock.
	 */
	private void announceExit() {
		ExitStatus status = this.observedExit;
		if (this.exit != null || status == null) {
			return;
		}
		this.exit = status;
		this.state = JobState.EXITED;
		emit((seq) -> new Event.Exited(this.id, seq, now(), status));
		this.services.storeWriter().submit(snapshotLocked(), List.of());
	}

	/**
	 * The JDK reports a process ended by signal N as exit value 128+N; execra reports 129 to 192 as signals.
	 */
	static ExitStatus exitStatus(int value) {
		if (value > 128 && value <= 128 + 64 && !System.getProperty("os.name", "").startsWith("Windows")) {
			return ExitStatus.ofSignal(value - 128);
		}
		return ExitStatus.ofCode(value);
	}

	/** The process exited but something still holds its output pipes: kill the group, then give up on them. */
	private void drainExpired() {
		CompletableFuture<Void> killed;
		this.lock.lock();
		try {
			if (this.finalizing || this.openStreams == 0) {
				return;
			}
			logger.debug("Job {}: output still open {} after exit; killing its process group and processes", this.id,
					this.services.settings().drainGracePeriod());
			announceExit();
			killed = signal(ProcessSignaller.Signal.KILL);
		}
		finally {
			this.lock.unlock();
		}
		// counted from when the job's processes outside its group were killed too: finding them may take a while
		killed.completeOnTimeout(null, KILL_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
			.whenComplete((ignored, ex) -> abandonAfterKill());
	}

	/** Finalizes a job whose pipes a process execra cannot kill holds, a little after the kill, and wakes pumps. */
	private void abandonAfterKill() {
		Runnable abandon = () -> {
			this.lock.lock();
			try {
				if (!this.finalizing) {
					logger.warn("Job {}: output pipes held open by a process execra cannot kill; finalizing anyway",
							this.id);
					finalizeLocked();
				}
			}
			finally {
				if (this.lock.isHeldByCurrentThread()) {
					this.lock.unlock();
				}
			}
			releasePumps();
		};
		try {
			this.services.scheduler().get().schedule(abandon, ABANDON_AFTER_KILL.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the runtime is closing: nothing is waited for any more
			abandon.run();
		}
	}

	/** Wakes pumps still blocked on a pipe that a survivor holds, so that they end rather than wait for it. */
	private void releasePumps() {
		OutputPipes pipes;
		this.lock.lock();
		try {
			if (this.openStreams == 0) {
				return;
			}
			pipes = this.outputPipes;
		}
		finally {
			this.lock.unlock();
		}
		this.pump.release();
		int woken = pipes.wake();
		logger.debug("Job {}: woke {} pumps blocked on pipes held by a survivor", this.id, woken);
	}

	private void timedOut() {
		this.lock.lock();
		try {
			if (this.state != JobState.RUNNING || this.cancelRequested || this.observedExit != null) {
				return;
			}
			this.timedOut = true;
			logger.debug("Job {} timed out after {}", this.id, this.timeout);
			signal(ProcessSignaller.Signal.KILL);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Requests cancellation.
	 * @return {@code false} if already finalized
	 */
	boolean cancel() {
		boolean dequeued = false;
		this.lock.lock();
		try {
			if (this.state == JobState.FINALIZED || this.finalizing) {
				return false;
			}
			if (this.cancelRequested) {
				return true;
			}
			this.cancelRequested = true;
			if (this.observedExit != null) {
				// the process is gone: the outcome becomes Cancelled, without a Cancelled event
				return true;
			}
			emit((seq) -> new Event.Cancelled(this.id, seq, now()));
			if (this.process != null) {
				signal(ProcessSignaller.Signal.TERM);
				Duration grace = this.services.settings().cancelGracePeriod();
				this.services.scheduler().get().schedule(() -> signal(ProcessSignaller.Signal.KILL), grace.toNanos(),
						TimeUnit.NANOSECONDS);
			}
			else {
				dequeued = this.callbacks.dequeue(this);
			}
		}
		finally {
			this.lock.unlock();
		}
		if (dequeued) {
			this.lock.lock();
			try {
				finalizeLocked();
			}
			finally {
				if (this.lock.isHeldByCurrentThread()) {
					this.lock.unlock();
				}
			}
		}
		return true;
	}

	private CompletableFuture<Void> signal(ProcessSignaller.Signal signal) {
		Process target = this.process;
		if (target == null) {
			return CompletableFuture.completedFuture(null);
		}
		this.services.listeners().processSignalled(signal.name());
		return this.services.signaller().signal(target.toHandle(), signal, this.id.toString());
	}

	// ---- finalize -----------------------------------------------------------------------------------------

	/**
	 * Finalizes the job: on-exit interpretation, open phases closed, outcome, output log closed, terminal state
	 * made durable, then Finalized published and the outcome completed. Called with the lock held; releases it.
	 */
	private void finalizeLocked() {
		if (this.finalizing) {
			this.lock.unlock();
			return;
		}
		this.finalizing = true;
		this.intake.abandon();
		this.stdin.end();
		if (this.exit != null) {
			this.interpreter.onExit(this.exit);
		}
		this.interpreted.closePhases();
		Outcome result = decideOutcome();
		this.output.close();
		this.outputTail = this.output.tail(this.services.settings().outputTailBytes());
		this.finishedAt = now();
		this.state = JobState.FINALIZED;
		this.finalOutcome = result;
		Event.Finalized finalized = new Event.Finalized(this.id, this.events.nextSeq(), this.finishedAt, result);
		Job snapshot = snapshotLocked();
		long sinceNanos = (this.startNanos != 0) ? this.startNanos : this.createdNanos;
		this.lock.unlock();

		this.callbacks.released(this);
		if (this.process != null && !this.cancelRequested && !this.timedOut && !this.limiter.failedJob()) {
			// the leader exited by itself: nothing it left running in its group may outlive the job
			this.services.signaller().reapLater(this.process.toHandle());
		}
		this.finalizer.finish(finalized, snapshot, sinceNanos);
	}

	private Outcome decideOutcome() {
		return OutcomeRules.decide(new OutcomeRules.Facts(this.finalizingReason, this.cancelRequested,
				this.timedOut ? this.timeout : null, this.limiter.failedJob() ? this.limiter.limit() : 0, this.exit,
				this.command.successExitCodes(), this.interpreted.lastKnownError(), this.interpreted.summary(),
				this.interpreted.findings()));
	}

	/** @return the time since the job started, for its interpreter. Call under the lock. */
	private Duration elapsed() {
		return (this.startNanos == 0) ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - this.startNanos);
	}

	// ---- stdin ---------------------------------------------------------------------------------------------

	void write(byte[] bytes) {
		this.stdin.write(bytes);
	}

	/** Queues an interpreter's answer; a failure becomes an interpreter_error event. */
	private void writeAnswer(byte[] bytes) {
		try {
			this.stdin.write(bytes);
		}
		catch (StdinClosedException | StdinBufferFullException ex) {
			emitUnlessFinalizing((seq) -> new Event.InterpreterError(this.id, seq, now(), "answer", ex.getMessage(),
					null));
		}
	}

	/** The bytes queued for stdin were dropped: the process took none of them for the write timeout. */
	private void stdinTimedOut(String message) {
		emitUnlessFinalizing((seq) -> new Event.WarningDetected(this.id, seq, now(), "stdin_write_timeout", message));
	}

	private <E extends Event> void emitUnlessFinalizing(LongFunction<E> factory) {
		this.lock.lock();
		try {
			if (!this.finalizing) {
				emit(factory);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	void closeStdin() {
		this.stdin.close();
	}

	// ---- reads ---------------------------------------------------------------------------------------------

	JobId id() {
		return this.id;
	}

	Command command() {
		return this.command;
	}

	CommandSpec spec() {
		return this.spec;
	}

	Instant createdAt() {
		return this.createdAt;
	}

	/**
	 * The events after a seq still in the replay window, output lines left out.
	 * @param afterSeq the seq the events follow
	 * @param limit the most to return
	 * @return the events, or {@code null} when some after {@code afterSeq} have left the window
	 */
	@Nullable List<Event> retainedEvents(long afterSeq, int limit) {
		this.lock.lock();
		try {
			return this.events.retained(afterSeq, limit);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * A stream of the job's events from its replay window, then live.
	 * @param afterSeq the seq the stream starts after
	 * @param deliveryThreads threads that deliver to {@code Flow.Subscriber}s
	 * @return the stream
	 */
	EventStream stream(long afterSeq, ThreadFactory deliveryThreads) {
		return new JobEventStream(this.id, this.eventLog, this.services.clock(), afterSeq, deliveryThreads,
				() -> this.services.listeners().eventsLagged(1));
	}

	Job snapshot() {
		this.lock.lock();
		try {
			return snapshotLocked();
		}
		finally {
			this.lock.unlock();
		}
	}

	private Job snapshotLocked() {
		return new Job(this.id, this.spec, this.state, this.interpreted.label(), this.spec.tags(),
				this.interpreted.progress(), this.interpreted.phases().current(), this.createdAt, this.startedAt, this.finishedAt, this.pid, this.exit,
				this.finalOutcome, this.outputTail, this.services.settings().nodeId());
	}

	/** @return the process, if it was started */
	@Nullable ProcessHandle processHandle() {
		Process started = this.process;
		return (started != null) ? started.toHandle() : null;
	}

	CompletableFuture<Outcome> outcome() {
		return this.finalizer.outcome();
	}

	boolean isActive() {
		this.lock.lock();
		try {
			return !this.finalizing;
		}
		finally {
			this.lock.unlock();
		}
	}

	JobState state() {
		this.lock.lock();
		try {
			return this.state;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Reads retained output; see {@link io.execra.ExecraRuntime#output}. */
	OutputPage output(long afterSeq, int maxBytes, Duration wait) throws InterruptedException {
		long nanos = Durations.nanos(wait);
		this.lock.lock();
		try {
			while (true) {
				long[] missed = new long[1];
				List<OutputPage.Chunk> chunks = this.output.read(afterSeq, Math.max(1, maxBytes), missed);
				boolean closed = this.state == JobState.FINALIZED;
				if (!chunks.isEmpty() || closed || nanos <= 0 || missed[0] > 0) {
					long next = chunks.isEmpty() ? Math.max(afterSeq, closed ? this.output.lastSeq() : afterSeq)
							: chunks.get(chunks.size() - 1).seq();
					return new OutputPage(this.id, chunks, next, missed[0], this.exit != null, this.exit, closed);
				}
				nanos = this.changed.awaitNanos(nanos);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

}
