package io.execra.internal.job;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.execra.Command;
import io.execra.CommandSpec;
import io.execra.Event;
import io.execra.Delivery;
import io.execra.EventStream;
import io.execra.ExitStatus;
import io.execra.FailureReason;
import io.execra.Job;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.OutputPage;
import io.execra.SecurityPolicy;
import io.execra.StdStream;
import io.execra.internal.delivery.JobEventStream;
import io.execra.internal.log.EventLog;
import io.execra.internal.log.JobOutput;
import io.execra.internal.process.ProcessLauncher;
import io.execra.internal.process.ProcessSignaller;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one job through its lifecycle: start, watch the exit, cancel, time out, finalize. Every state change and
 * every event of the job happens under the job's one lock, so events get strictly increasing seqs and the
 * interpreter is called serially; the store is written off this path. Its parts share that lock:
 * {@link EventSequencer}, {@link OutputIntake} and {@link InterpretedJob} are called under it, while
 * {@link OutputPump}, {@link JobProcess}, {@link JobFinalizer}, {@link JobInput} and {@link OutputPages} take it
 * themselves.
 */
final class JobDriver implements JobProcess.Ending {

	private static final Logger logger = LoggerFactory.getLogger(JobDriver.class);

	private final JobId id;

	private final Command command;

	private final CommandSpec spec;

	private final Instant createdAt;

	private final long createdNanos = System.nanoTime();

	private final @Nullable Duration timeout;

	private final JobServices services;

	private final JobLaunch launch;

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

	private final OutputPages pages;

	private JobState state = JobState.QUEUED;

	private @Nullable Instant startedAt;

	private long startNanos;

	private @Nullable Instant finishedAt;

	private @Nullable Long pid;

	private @Nullable ExitStatus exit;

	private @Nullable Outcome finalOutcome;

	private @Nullable String outputTail;

	private boolean cancelRequested;

	private boolean timedOut;

	private boolean finalizing;

	/** The process, once started. */
	private @Nullable JobProcess process;

	private final JobInput stdin;

	private final OutputLimiter limiter;

	/** A job created now whose events start at seq 1; {@code afterSeq} continues a job the store has events of. */
	JobDriver(JobServices services, JobCallbacks callbacks, JobId id, Instant createdAt, long afterSeq,
			Command command, CommandSpec spec, Map<String, String> environment, @Nullable Duration timeout) {
		this.services = services;
		this.callbacks = callbacks;
		this.id = id;
		this.command = command;
		this.spec = spec;
		this.launch = new JobLaunch(services.launcher(), id, command, environment, this.lock,
				() -> this.state == JobState.QUEUED && !this.cancelRequested);
		this.timeout = timeout;
		this.createdAt = createdAt;
		SecurityPolicy policy = services.settings().securityPolicy();
		List<String> secrets = policy.secretsIn(command);
		OutputMasker masker = secrets.isEmpty() ? null : new OutputMasker(secrets);
		var settings = services.settings();
		this.eventLog = new EventLog(settings.replay().maxEvents(), settings.replay().maxBytes(),
				settings.retainedOutput().maxLines(), settings.retainedOutput().maxBytes(),
				services.fanOut().decodedLines());
		this.events = new EventSequencer(this.eventLog, this.changed, services.fanOut(), services.storeWriter(),
				settings.subscriberBufferSize(), settings.subscriberBufferMaxBytes());
		this.events.takenUpTo(afterSeq);
		boolean file = settings.rawOutput().policy() != io.execra.RawOutputPolicy.MEMORY;
		this.output = new JobOutput(id, this.eventLog, settings.rawOutput().directory(), file,
				settings.rawOutput().policy() == io.execra.RawOutputPolicy.FILE_GZIP
						|| settings.outputLimit().strategy() == io.execra.OutputLimitStrategy.SPILL_TO_FILE);
		this.stdin = new JobInput(id, command.stdin(), services, this.lock, this.events, this::finalizing);
		this.interpreted = new InterpretedJob(id, spec, command.successExitCodes(), services.clock(), this.events,
				services.listeners(), this::elapsed, this.stdin::writeAnswer);
		this.interpreter = InterpreterBridge.create(this.interpreted, command.interpreter());
		this.limiter = new OutputLimiter(settings.outputLimit().maxBytes(), settings.outputLimit().strategy());
		this.intake = new OutputIntake(id, services.clock(), this.events, this.output, masker, this.limiter,
				this.interpreter, () -> signal(ProcessSignaller.Signal.KILL));
		this.pump = new OutputPump(id, this.lock, this.events, this.intake, this.eventLog,
				new OutputBackpressure(id, this.lock, this.eventLog, this.events, services.scheduler()), services);
		this.pages = new OutputPages(id, this.lock, this.changed, this.output,
				() -> this.state == JobState.FINALIZED, () -> this.exit);
		this.finalizer = new JobFinalizer(id, this.lock, this.events, services, () -> this.callbacks.finalized(this));
	}

	// ---- events ------------------------------------------------------------------------------------------

	private Instant now() {
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

	/**
	 * Starts the process; runs on a job thread, which then pumps stdout, unless the event loop pumps the output
	 * and it returns at once.
	 */
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
				started = this.launch.start();
			}
			catch (ProcessLauncher.SpawnException | IOException | RuntimeException ex) {
				String error = (ex.getMessage() != null) ? ex.getMessage() : ex.toString();
				logger.debug("Job {} could not start: {}", this.id, error);
				this.finalizingReason = new FailureReason.SpawnFailed(error);
				finalizeLocked();
				return;
			}
			this.process = new JobProcess(this.id, this.lock, started, this.services, this.pump, this);
			this.pid = started.pid();
			this.startedAt = now();
			this.startNanos = System.nanoTime();
			this.state = JobState.RUNNING;
			// the event and the snapshot go to the store in one submission: one wake-up of its writer, not two
			Event event = this.events.publish((seq) -> new Event.JobStarted(this.id, seq, now(), started.pid()));
			Job snapshot = snapshotLocked();
			this.services.storeWriter().submit(snapshot, List.of(event));
			this.services.listeners().jobStarted(snapshot, Duration.ofNanos(this.startNanos - this.createdNanos));
			if (this.timeout != null) {
				this.process.timeoutAfter(this.timeout, this::timedOut);
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
		JobProcess watched = this.process;
		watched.watchExit();
		if (this.pump.pumpOnEventLoop(this.services.launcher(), started, watched::streamClosed)) {
			return;
		}
		this.services.jobThreads().execute(() -> this.pump.pump(stderr, StdStream.STDERR, watched::streamClosed));
		this.pump.pump(stdout, StdStream.STDOUT, watched::streamClosed);
		watched.awaitExitBriefly();
	}

	/** @return how the job's process starts, prepared ahead while the job waits first in the queue */
	JobLaunch launch() {
		return this.launch;
	}

	/** Set before finalizing a job that could not start. */
	private FailureReason.@Nullable SpawnFailed finalizingReason;

	// ---- exit, cancel, timeout ----------------------------------------------------------------------------

	@Override
	public void exitObserved() {
		this.stdin.end();
	}

	/**
	 * Emits Exited once the output is drained (or the drain grace expired), so that for ordinary tools every line
	 * comes before it. Call under the lock.
	 */
	@Override
	public void announceExit(ExitStatus status) {
		if (this.exit != null) {
			return;
		}
		this.exit = status;
		this.state = JobState.EXITED;
		Event event = this.events.publish((seq) -> new Event.Exited(this.id, seq, now(), status));
		this.services.storeWriter().submit(snapshotLocked(), List.of(event));
	}

	@Override
	public boolean finalizing() {
		return this.finalizing;
	}

	/** @return whether the process exited. Call under the lock. */
	private boolean exitObservedLocked() {
		JobProcess started = this.process;
		return started != null && started.exitObserved();
	}

	private void timedOut() {
		this.lock.lock();
		try {
			if (this.state != JobState.RUNNING || this.cancelRequested || exitObservedLocked()) {
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
			if (exitObservedLocked()) {
				// the process is gone: the outcome becomes Cancelled, without a Cancelled event
				return true;
			}
			this.events.emit((seq) -> new Event.Cancelled(this.id, seq, now()));
			if (this.process != null) {
				signal(ProcessSignaller.Signal.TERM);
				this.process.killAfter(this.services.settings().cancelGracePeriod());
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
		JobProcess target = this.process;
		if (target == null) {
			return CompletableFuture.completedFuture(null);
		}
		return target.signal(signal);
	}

	// ---- finalize -----------------------------------------------------------------------------------------

	/**
	 * Finalizes the job: on-exit interpretation, open phases closed, outcome, output log closed, terminal state
	 * made durable, then Finalized published and the outcome completed. Called with the lock held; releases it.
	 */
	@Override
	public void finalizeLocked() {
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
			this.process.reapLater();
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

	/** @return the job's stdin, which users write to and close */
	JobInput stdin() {
		return this.stdin;
	}

	// ---- reads ---------------------------------------------------------------------------------------------

	JobId id() {
		return this.id;
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
	 * @param delivery how a reader that falls behind is treated
	 * @param deliveryThreads threads that deliver to {@code Flow.Subscriber}s
	 * @return the stream
	 */
	EventStream stream(long afterSeq, Delivery delivery, ThreadFactory deliveryThreads) {
		return new JobEventStream(this.id, this.eventLog, this.services.clock(), afterSeq, delivery, deliveryThreads,
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
				this.interpreted.progress(), this.interpreted.phases().current(), this.createdAt, this.startedAt,
				this.finishedAt, this.pid, this.exit, this.finalOutcome, this.outputTail, this.services.settings().nodeId());
	}

	/** @return the process, if it was started */
	@Nullable ProcessHandle processHandle() {
		JobProcess started = this.process;
		return (started != null) ? started.handle() : null;
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
		return this.pages.read(afterSeq, maxBytes, wait);
	}

}
