package io.execra.internal.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import io.execra.Finding;
import io.execra.Job;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.OutputPage;
import io.execra.Outcome;
import io.execra.Progress;
import io.execra.SecurityPolicy;
import io.execra.StdStream;
import io.execra.Stdin;
import io.execra.StdinBufferFullException;
import io.execra.StdinClosedException;
import io.execra.interpret.Interpreter;
import io.execra.interpret.Line;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.execra.internal.log.JobOutput;
import io.execra.internal.delivery.JobEventStream;
import io.execra.internal.log.EventLog;
import io.execra.internal.process.JobStdin;
import io.execra.internal.process.OutputPipes;
import io.execra.internal.Durations;
import io.execra.internal.store.StoreWriter;
import io.execra.internal.log.LineBatch;
import io.execra.internal.log.LineDecoder;
import io.execra.internal.log.EventBatch;
import io.execra.internal.log.LineRef;
import io.execra.internal.log.LineRun;
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

	/** Findings kept in an outcome at most; more are still emitted as events. */
	private static final int MAX_FINDINGS_IN_OUTCOME = 10_000;

	/** Time after the drain-grace kill before pumps still blocked are abandoned. */
	private static final Duration ABANDON_AFTER_KILL = Duration.ofMillis(500);

	/** How long the drain-grace kill may take before the job is abandoned all the same (a stopped signaller). */
	private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

	/** A pump's first read buffer: enough for a quiet stream, small for many idle jobs. */
	private static final int READ_BUFFER = 16 * 1024;

	/**
	 * A pump's read buffer once a read filled the first: a whole default pipe (64 KiB), so a chatty tool's pipe is
	 * drained by one read, with one acquisition of the lock and one clock read, rather than four.
	 */
	private static final int LARGE_READ_BUFFER = 64 * 1024;

	/** How long the job's thread waits for the exit after stdout ended, before leaving it to onExit. */
	private static final Duration EXIT_AFTER_STDOUT = Duration.ofMillis(100);

	public final JobId id;

	private final Command command;

	private final CommandSpec spec;

	private final Instant createdAt;

	private final long createdNanos = System.nanoTime();

	private final @Nullable Duration timeout;

	private final Map<String, String> environment;

	/** Masks the command's literal secrets in output lines; {@code null} when it has none. */
	private final @Nullable OutputMasker masker;

	private final JobServices services;

	private final JobCallbacks callbacks;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	public final EventLog eventLog;

	private final JobOutput output;

	private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

	private final InterpreterBridge interpreter;

	private long lastSeq;

	private JobState state = JobState.QUEUED;

	private @Nullable String label;

	private Progress progress = Progress.UNKNOWN;

	private final PhaseStack phases = new PhaseStack();

	private @Nullable Instant startedAt;

	private long startNanos;

	private @Nullable Instant finishedAt;

	private @Nullable Long pid;

	private @Nullable ExitStatus exit;

	/** The exit as seen by the JDK, before Exited is announced. */
	private @Nullable ExitStatus observedExit;

	private @Nullable Outcome finalOutcome;

	private @Nullable String outputTail;

	private final List<Finding> findings = new ArrayList<>();

	private @Nullable String summary;

	private Event.@Nullable KnownErrorDetected lastKnownError;

	private boolean cancelRequested;

	private boolean timedOut;

	private boolean outputSpilled;

	private boolean finalizing;

	/** Set when finalization starts: late lines from abandoned pumps are ignored. */
	private boolean abandoned;

	/** Set when pumps still blocked after the drain grace are woken: they stop reading. */
	private volatile boolean pumpsReleased;

	private OutputPipes outputPipes = OutputPipes.none();

	private int openStreams = 2;

	private @Nullable Process process;

	private final JobStdin stdin;

	private final OutputLimiter limiter;

	private @Nullable ScheduledFuture<?> timeoutTask;

	private long lastStoredProgressNanos;

	/**
	 * Whether a batch of lines is being handled: its events are published to global subscribers, and readers
	 * woken, once at the end of the batch. Guarded by the lock.
	 */
	private boolean batching;

	/**
	 * Whether the events of the batch are collected for global subscribers: there were some when it started (one
	 * subscribing meanwhile gets the events from the next batch on). Guarded by the lock.
	 */
	private boolean deferring;

	/**
	 * The events of the batch for global subscribers (lines left undecoded staying so), only collected while there
	 * are any. Guarded by the lock.
	 */
	private final EventBatch deferredEvents = new EventBatch();

	/** Deferred events that make a publish due in the middle of a batch: a quarter of a subscriber's buffer. */
	private final int publishDeferredAt;

	/** The cost of deferred events that makes a publish due likewise. */
	private final long publishDeferredCost;

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
		this.label = spec.label();
		SecurityPolicy policy = services.settings().securityPolicy();
		List<String> secrets = policy.secretsIn(command);
		this.masker = secrets.isEmpty() ? null : new OutputMasker(secrets);
		var settings = services.settings();
		this.eventLog = new EventLog(settings.replay().maxEvents(), settings.replay().maxBytes(),
				settings.retainedOutput().maxLines(), settings.retainedOutput().maxBytes());
		this.publishDeferredAt = Math.max(1, settings.subscriberBufferSize() / 4);
		this.publishDeferredCost = Math.max(1, settings.subscriberBufferMaxBytes() / 4);
		boolean file = settings.rawOutput().policy() != io.execra.RawOutputPolicy.MEMORY;
		this.output = new JobOutput(id, this.eventLog, settings.rawOutput().directory(), file,
				settings.rawOutput().policy() == io.execra.RawOutputPolicy.FILE_GZIP
						|| settings.outputLimit().strategy() == io.execra.OutputLimitStrategy.SPILL_TO_FILE);
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
		this.interpreter = new InterpreterBridge(this, created, failure);
		this.stdin = new JobStdin(id, command.stdin(), services.jobThreads(), services.scheduler(),
				settings.stdin().bufferBytes(), settings.stdin().writeTimeout(), this::stdinTimedOut);
		this.limiter = new OutputLimiter(settings.outputLimit().maxBytes(), settings.outputLimit().strategy());
	}

	// ---- events ------------------------------------------------------------------------------------------

	/**
	 * Appends an event with the next seq: event log, live subscribers, store. Call under the lock.
	 */
	<E extends Event> E emit(LongFunction<E> factory) {
		E event = publish(factory);
		if (storable(event)) {
			this.services.storeWriter().submit(null, List.of(event));
		}
		return event;
	}

	/** Appends an event to the event log and subscribers only; the caller stores it. Call under the lock. */
	private <E extends Event> E publish(LongFunction<E> factory) {
		E event = factory.apply(++this.lastSeq);
		append(event);
		return event;
	}

	/** Appends an event, whose seq was just taken, to the event log and subscribers. Call under the lock. */
	private void append(Event event) {
		if (this.batching) {
			this.eventLog.stage(event);
			if (this.deferring) {
				defer(event);
			}
		}
		else {
			this.eventLog.add(event);
			this.services.fanOut().publish(event);
			wakeReaders();
		}
	}

	/** Wakes the threads waiting for events or output of this job. Call under the lock. */
	private void wakeReaders() {
		this.eventLog.signal();
		this.changed.signalAll();
	}

	private boolean storable(Event event) {
		if (event instanceof Event.OutputAppended) {
			return false;
		}
		if (event instanceof Event.ProgressUpdated updated) {
			// progress can change on every line: the store gets it at most once a second, and at 100%
			long now = System.nanoTime();
			boolean complete = updated.progress().asFraction().orElse(0) >= 1.0;
			if (!complete && now - this.lastStoredProgressNanos < 1_000_000_000L) {
				return false;
			}
			this.lastStoredProgressNanos = now;
		}
		return true;
	}

	public Instant now() {
		return this.services.clock().instant();
	}

	long lastSeq() {
		return this.lastSeq;
	}

	/** Emits JobCreated and records the job. Called once by the runtime, before the job can start. */
	void created() {
		this.lock.lock();
		try {
			// the job's row before any of its events: a store may refuse events of a job it does not know
			Event event = publish((seq) -> new Event.JobCreated(this.id, seq, now(), this.spec));
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
		this.services.jobThreads().execute(() -> pump(stderr, StdStream.STDERR));
		pump(stdout, StdStream.STDOUT);
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

	/**
	 * Reads a stream to its end. The lines of each read are handled as one batch: decoded and handled under one
	 * acquisition of the lock, with one timestamp (they arrived together) and one wake-up of readers, unless the
	 * read holds more lines than a quarter of the replay window (see {@link #publishIfDue}). The read buffer grows
	 * once a read fills it (the decoder keeps a partial line itself, so the buffer may change).
	 * <p>
	 * While the tool keeps writing, the readers of a batch are woken halfway through decoding the next one rather
	 * than as soon as it is published. The read that starts the next batch empties the pipe and so wakes the tool;
	 * woken at the same moment as the readers, the tool found the other CPUs busy with them and queued behind this
	 * thread, which then waited for it to refill the pipe (on 2 CPUs, {@code perf sched} showed this thread waiting
	 * a quarter of the time, and output throughput rose by a tenth with the readers woken apart from the tool).
	 * When nothing is left to read, readers are woken before the read blocks, so they never wait for more output.
	 */
	private void pump(InputStream in, StdStream stream) {
		LineBatch batch = new LineBatch(this.id, stream, this::line, this::undecodedLines);
		LineDecoder decoder = new LineDecoder(this.services.settings().maxLineLength(), batch);
		PartialLines partial = new PartialLines(decoder, batch);
		byte[] buffer = new byte[READ_BUFFER];
		boolean readersToWake = false;
		try (in) {
			while (true) {
				if (readersToWake && in.available() == 0) {
					wakeReadersNow();
					readersToWake = false;
				}
				int n = in.read(buffer);
				if (n <= 0 || this.pumpsReleased) {
					break;
				}
				synchronized (decoder) {
					byte[] read = buffer;
					int length = n;
					boolean wakeMidway = readersToWake;
					batch.read(read, length);
					readersToWake = lines(batch, () -> decode(decoder, read, length, wakeMidway), false);
					partial.afterRead();
				}
				if (n == buffer.length && buffer.length < LARGE_READ_BUFFER) {
					buffer = new byte[LARGE_READ_BUFFER];
				}
			}
		}
		catch (IOException ex) {
			logger.trace("Job {}: {} closed: {}", this.id, stream.id(), ex.toString());
		}
		if (readersToWake) {
			wakeReadersNow();
		}
		synchronized (decoder) {
			partial.closed = true;
			lines(batch, () -> finish(decoder, batch), true);
		}
		streamClosed();
	}

	/**
	 * Ends a stream's lines: the decoder's last line, then any text the masker held back from the last part of a
	 * split line, as the line's end. Call under the lock.
	 */
	private void finish(LineDecoder decoder, LineBatch batch) {
		decoder.finish();
		if (this.masker != null && this.masker.holds(batch.stream())) {
			batch.line("", false, 0);
		}
	}

	/**
	 * Decodes a read; readers of the previous batch still to be woken are woken halfway through. Call under the
	 * lock.
	 */
	private void decode(LineDecoder decoder, byte[] bytes, int length, boolean wakeMidway) {
		if (!wakeMidway) {
			decoder.feed(bytes, 0, length);
			return;
		}
		int half = length / 2;
		decoder.feed(bytes, 0, half);
		wakeReaders();
		decoder.feed(bytes, half, length - half);
	}

	/** Wakes the readers of events and output, outside a batch. */
	private void wakeReadersNow() {
		this.lock.lock();
		try {
			wakeReaders();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Publishes an unterminated line that waited {@code partialLineTimeout} for its end, as a split line: a tool
	 * asking {@code Proceed? [y/N] } without a newline then reaches interpreters. At most one check is pending per
	 * stream, so a stream that keeps flowing costs next to nothing. Guarded by the decoder's monitor.
	 */
	private final class PartialLines {

		private final LineDecoder decoder;

		private final LineBatch batch;

		private final long timeoutNanos = JobDriver.this.services.settings().partialLineTimeout().toNanos();

		private long lastReadNanos;

		private boolean checkPending;

		private boolean closed;

		PartialLines(LineDecoder decoder, LineBatch batch) {
			this.decoder = decoder;
			this.batch = batch;
		}

		void afterRead() {
			this.lastReadNanos = System.nanoTime();
			if (this.timeoutNanos > 0 && !this.checkPending && this.decoder.hasPartial()) {
				this.checkPending = true;
				schedule(this.timeoutNanos);
			}
		}

		private void schedule(long delayNanos) {
			JobDriver.this.services.scheduler().get().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
		}

		private void check() {
			synchronized (this.decoder) {
				this.checkPending = false;
				if (this.closed || !this.decoder.hasPartial()) {
					return;
				}
				long idle = System.nanoTime() - this.lastReadNanos;
				if (idle < this.timeoutNanos) {
					this.checkPending = true;
					schedule(this.timeoutNanos - idle);
					return;
				}
				lines(this.batch, this.decoder::flushPartial, true);
			}
		}

	}

	/**
	 * Runs a step of a stream's decoder under the lock, the lines it decodes going to {@link #line} as a batch;
	 * then publishes the batch's events to global subscribers, wakes readers (or leaves that to the caller) and
	 * tells listeners, once.
	 * @param wake whether to wake the readers of events and output here
	 * @return whether the batch added events whose readers the caller is to wake
	 */
	private boolean lines(LineBatch batch, Runnable decode, boolean wake) {
		boolean added;
		this.lock.lock();
		try {
			long before = this.lastSeq;
			this.batching = true;
			this.deferring = this.services.fanOut().hasSubscriptions();
			batch.start(now(), !this.abandoned, linesMayStayUndecoded());
			try {
				decode.run();
				batch.flush();
			}
			finally {
				this.batching = false;
				publishBatchSoFar();
				added = this.lastSeq != before;
				if (added && wake) {
					wakeReaders();
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		if (batch.size() > 0) {
			this.services.listeners().outputLines(batch.stream(), batch.size(), batch.bytes());
		}
		return added && !wake;
	}

	/** Publishes the events of the batch staged so far, to readers of the log and to global subscribers. */
	private void publishBatchSoFar() {
		this.eventLog.publishStaged();
		if (!this.deferredEvents.isEmpty()) {
			this.services.fanOut().publish(this.deferredEvents);
			this.deferredEvents.clear();
		}
	}

	/** Collects an event for global subscribers. Call under the lock, while deferring. */
	private void defer(Event event) {
		this.deferredEvents.add(event);
	}

	/**
	 * Publishes the batch so far and wakes readers when the staged events fill a quarter of the replay window or of
	 * a global subscriber's buffer: one read of short lines can hold more lines than either, and published at the
	 * end it would make even readers that keep up lag. Call under the lock, while batching.
	 */
	private void publishIfDue() {
		if (this.eventLog.publishDue() || this.deferredEvents.size() >= this.publishDeferredAt
				|| this.deferredEvents.cost() >= this.publishDeferredCost) {
			publishBatchSoFar();
			wakeReaders();
		}
	}

	/**
	 * Whether the lines of the next batch may be kept undecoded ({@link LineRun}): unless their text is
	 * needed on this thread, with secrets masked or for the output log file. An interpreter gets each line's text
	 * decoded for it, and global subscribers get each line queued undecoded, while the log keeps the bytes. Call
	 * under the lock.
	 */
	private boolean linesMayStayUndecoded() {
		return this.masker == null && !this.output.writesFile();
	}

	/** Handles one line. Call under the lock. */
	private void line(StdStream stream, String raw, boolean split, int bytes, Instant at) {
		String text = (this.masker != null) ? this.masker.mask(stream, raw, split) : raw;
		if (split && text.isEmpty()) {
			// all of it may start a secret: held back by the masker for the line's next part
			withinOutputLimit(bytes);
			return;
		}
		boolean publish = withinOutputLimit(bytes);
		long seq = 0;
		if (publish) {
			// built here rather than through emit's factory: no capturing lambda per line, and never stored
			seq = ++this.lastSeq;
			add(new Event.OutputAppended(this.id, seq, at, stream, text, split));
		}
		if (this.interpreter.isActive()) {
			this.interpreter.onLine(new Line(stream, text, at, seq));
		}
		publishIfDue();
	}

	/**
	 * Handles a run of lines left undecoded, in a batch for which {@link #linesMayStayUndecoded()} held. While the
	 * lines need no handling of their own — no log file to write, all within the output limit — they are staged in
	 * the event log in runs, in slices that end where a publish falls due; a line the interpreter does not ignore
	 * ends a run, and gets the interpreter's attention before the next line is staged, as line by line. Otherwise
	 * they are handled line by line. Call under the lock.
	 */
	private void undecodedLines(LineRun lines, long[] refs, int count) {
		if (this.output.writesFile() || !this.limiter.countAll(LineRef.length(refs, count), count)) {
			for (int i = 0; i < count; i++) {
				line(lines, refs, i);
			}
			return;
		}
		int from = 0;
		if (this.interpreter.isActive()) {
			for (int i = 0; i < count; i++) {
				if (this.interpreter.isActive() && !lines.ignoredBy(this.interpreter, refs[i])) {
					stage(lines, refs, from, i + 1);
					interpretDecoded(lines, refs[i], this.lastSeq);
					publishIfDue();
					from = i + 1;
				}
			}
		}
		stage(lines, refs, from, count);
	}

	/**
	 * Stages lines left undecoded in the event log, counted against the output limit already, in slices that end
	 * where a publish falls due. Call under the lock.
	 */
	private void stage(LineRun lines, long[] refs, int from, int to) {
		while (from < to) {
			int end = to;
			if (this.deferring) {
				end = Math.min(to, from + Math.max(1, this.publishDeferredAt - this.deferredEvents.size()));
			}
			long first = this.lastSeq + 1;
			int staged = this.output.add(first, lines, refs, from, end, !this.outputSpilled);
			this.lastSeq = first + staged - 1;
			if (this.deferring) {
				this.deferredEvents.addLines(lines, refs, from, from + staged, first);
			}
			from += staged;
			publishIfDue();
		}
	}

	/**
	 * Handles one line of a run left undecoded, in a batch for which {@link #linesMayStayUndecoded()} held, when the
	 * run cannot be staged in one go (see {@link #undecodedLines}): staged alone, or decoded once the output spilled
	 * to its log file. Call under the lock.
	 */
	private void line(LineRun lines, long[] refs, int index) {
		long ref = refs[index];
		long seq = 0;
		if (withinOutputLimit(LineRef.length(ref))) {
			if (this.output.writesFile()) {
				seq = ++this.lastSeq;
				addDecoded(lines, ref, seq);
			}
			else {
				stage(lines, refs, index, index + 1);
				seq = this.lastSeq;
			}
		}
		if (this.interpreter.isActive()) {
			interpret(lines, ref, seq);
		}
		publishIfDue();
	}

	/** The output spilled to its log file in this batch: the file takes the text. */
	private void addDecoded(LineRun lines, long ref, long seq) {
		add(lines.line(seq, ref));
	}

	/** Hands the interpreter a line left undecoded, unless it ignores it. */
	private void interpret(LineRun lines, long ref, long seq) {
		if (!lines.ignoredBy(this.interpreter, ref)) {
			interpretDecoded(lines, ref, seq);
		}
	}

	/** Hands the interpreter a line left undecoded, decoded for it. */
	private void interpretDecoded(LineRun lines, long ref, long seq) {
		// a short-lived copy of the text: the log keeps the bytes, which cost the heap less while it holds them
		this.interpreter.onLine(new Line(lines.stream(), lines.text(ref), lines.at(), seq));
	}

	/** Keeps a line's event: staged in the event log by the job's output, and published with the batch. */
	private void add(Event.OutputAppended appended) {
		String failure = this.output.add(appended, !this.outputSpilled);
		if (this.deferring) {
			defer(appended);
		}
		if (failure != null) {
			emit((s) -> new Event.WarningDetected(this.id, s, now(), "output_log_failed", failure));
		}
	}

	/** Applies the output limit; returns whether the line is published. Call under the lock. */
	private boolean withinOutputLimit(int bytes) {
		OutputLimiter.Verdict verdict = this.limiter.count(bytes);
		return verdict == OutputLimiter.Verdict.PUBLISH || beyondOutputLimit(verdict);
	}

	/** Acts on any other verdict than {@code PUBLISH}; returns whether the line is published. Call under the lock. */
	private boolean beyondOutputLimit(OutputLimiter.Verdict verdict) {
		switch (verdict) {
			case SPILLED:
				return true;
			case TRUNCATE_NOW:
				emit((s) -> new Event.WarningDetected(this.id, s, now(), "output_truncated", "output truncated after "
						+ this.limiter.limit() + " bytes; further lines are not kept or published"));
				return false;
			case FAIL_NOW:
				signal(ProcessSignaller.Signal.KILL);
				return false;
			case SPILL_NOW:
				this.outputSpilled = true;
				this.output.spillToFile();
				emit((s) -> new Event.WarningDetected(this.id, s, now(), "output_spilled", "output passed "
						+ this.limiter.limit() + " bytes; further lines are kept in the output log file only"));
				return true;
			default:
				return false;
		}
	}

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
		this.pumpsReleased = true;
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
		this.abandoned = true;
		this.stdin.end();
		if (this.exit != null) {
			this.interpreter.onExit(this.exit);
		}
		while (this.phases.current() != null) {
			int phaseId = this.phases.pop().id();
			emit((seq) -> new Event.PhaseExited(this.id, seq, now(), phaseId));
		}
		Outcome result = decideOutcome();
		this.output.close();
		this.outputTail = this.output.tail(this.services.settings().outputTailBytes());
		this.finishedAt = now();
		this.state = JobState.FINALIZED;
		this.finalOutcome = result;
		Event.Finalized finalized = new Event.Finalized(this.id, ++this.lastSeq, this.finishedAt, result);
		Job snapshot = snapshotLocked();
		this.lock.unlock();

		this.callbacks.released(this);
		if (this.process != null && !this.cancelRequested && !this.timedOut && !this.limiter.failedJob()) {
			// the leader exited by itself: nothing it left running in its group may outlive the job
			this.services.signaller().reapLater(this.process.toHandle());
		}
		long ticket = this.services.storeWriter().submit(snapshot, List.of(finalized));
		// the outcome completes once the store has the terminal state, or after the write timeout; no thread waits
		this.services.storeWriter()
			.durability()
			.whenDurableOrTimedOut(this.id, ticket, this.services.settings().storeWrites().writeTimeout(),
					this.services.scheduler().get(), () -> announceFinalized(finalized, snapshot));
	}

	/** Publishes Finalized and completes the outcome, once the store has the terminal state or gave up on it. */
	private void announceFinalized(Event.Finalized finalized, Job snapshot) {
		this.lock.lock();
		try {
			this.eventLog.add(finalized);
			this.services.fanOut().publish(finalized);
			wakeReaders();
		}
		finally {
			this.lock.unlock();
		}
		long end = System.nanoTime();
		this.services.listeners().jobFinalized(snapshot,
				Duration.ofNanos(end - ((this.startNanos != 0) ? this.startNanos : this.createdNanos)));
		this.callbacks.finalized(this);
		this.outcome.complete(finalized.outcome());
	}

	private Outcome decideOutcome() {
		return OutcomeRules.decide(new OutcomeRules.Facts(this.finalizingReason, this.cancelRequested,
				this.timedOut ? this.timeout : null, this.limiter.failedJob() ? this.limiter.limit() : 0, this.exit,
				this.command.successExitCodes(), this.lastKnownError, this.summary, this.findings));
	}

	// ---- interpreter callbacks (under the lock) -------------------------------------------------------------

	PhaseStack phases() {
		return this.phases;
	}

	Duration elapsed() {
		return (this.startNanos == 0) ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - this.startNanos);
	}

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
		this.services.listeners().findingEmitted(finding);
	}

	void setSummary(String summary) {
		this.summary = summary;
	}

	// ---- stdin ---------------------------------------------------------------------------------------------

	void write(byte[] bytes) {
		this.stdin.write(bytes);
	}

	/** Queues an interpreter's answer; a failure becomes an interpreter_error event. */
	void writeAnswer(byte[] bytes) {
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
			long first = this.eventLog.firstSeq();
			long last = this.lastSeq;
			if (afterSeq < first - 1) {
				return null;
			}
			List<Event> events = new ArrayList<>();
			// min first: afterSeq + 1 would wrap past Long.MAX_VALUE
			for (long seq = Math.min(afterSeq, last) + 1; seq <= last && events.size() < limit; seq++) {
				Event event = this.eventLog.getUnlessOutput(seq);
				if (event != null) {
					events.add(event);
				}
			}
			return events;
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
		return new Job(this.id, this.spec, this.state, this.label, this.spec.tags(), this.progress,
				this.phases.current(), this.createdAt, this.startedAt, this.finishedAt, this.pid, this.exit,
				this.finalOutcome, this.outputTail, this.services.settings().nodeId());
	}

	/** @return the process, if it was started */
	@Nullable ProcessHandle processHandle() {
		Process started = this.process;
		return (started != null) ? started.toHandle() : null;
	}

	CompletableFuture<Outcome> outcome() {
		return this.outcome;
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
