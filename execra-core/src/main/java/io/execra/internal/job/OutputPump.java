package io.execra.internal.job;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.execra.JobId;
import io.execra.StdStream;
import io.execra.internal.delivery.Listeners;
import io.execra.internal.log.EventLog;
import io.execra.internal.log.LineBatch;
import io.execra.internal.log.LineDecoder;
import io.execra.internal.process.OutputSink;
import io.execra.internal.process.ProcessLauncher;
import io.execra.internal.process.PumpedOutput;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a job's stdout and stderr to their ends, each on its own thread or both on the launcher's event loop, and
 * hands the lines of each read to the {@link OutputIntake} as one batch of the {@link EventSequencer}, under one
 * acquisition of the job's lock. Takes the lock itself: call its methods without it.
 */
final class OutputPump {

	private static final Logger logger = LoggerFactory.getLogger(OutputPump.class);

	/** A pump's first read buffer: enough for a quiet stream, small for many idle jobs. */
	private static final int READ_BUFFER = 16 * 1024;

	/**
	 * A pump's read buffer once a read filled the first: a whole default pipe (64 KiB), so a chatty tool's pipe is
	 * drained by one read, with one acquisition of the lock and one clock read, rather than four.
	 */
	private static final int LARGE_READ_BUFFER = 64 * 1024;

	private final JobId id;

	private final ReentrantLock lock;

	private final EventSequencer events;

	private final OutputIntake intake;

	/** The job's event log: the lines of a read left undecoded name it, for its readers to share what they decode. */
	private final EventLog eventLog;

	private final OutputBackpressure backpressure;

	private final Clock clock;

	private final int maxLineLength;

	private final long partialLineTimeoutNanos;

	private final Supplier<ScheduledExecutorService> scheduler;

	private final Listeners listeners;

	/** Set when pumps still blocked after the drain grace are woken: they stop reading. */
	private volatile boolean pumpsReleased;

	/** Set when the job's processes are signalled: the pumps no longer wait for lossless readers. */
	private volatile boolean unheld;

	/** Whether the pumps no longer wait for lossless readers. */
	private final BooleanSupplier unholding = () -> this.pumpsReleased || this.unheld;

	/** The streams, when the event loop pumps them. */
	private volatile @Nullable PumpedOutput eventLoopOutput;

	/**
	 * @param id the job
	 * @param lock the job's lock
	 * @param events the job's events, which batch the lines of each read
	 * @param intake takes the lines in
	 * @param eventLog the job's event log
	 * @param backpressure holds the pump back for lossless readers
	 * @param services the clock, settings, scheduler and listeners of the runtime
	 */
	OutputPump(JobId id, ReentrantLock lock, EventSequencer events, OutputIntake intake, EventLog eventLog,
			OutputBackpressure backpressure, JobServices services) {
		this.id = id;
		this.lock = lock;
		this.events = events;
		this.intake = intake;
		this.eventLog = eventLog;
		this.backpressure = backpressure;
		this.clock = services.clock();
		this.maxLineLength = services.settings().maxLineLength();
		this.partialLineTimeoutNanos = services.settings().partialLineTimeout().toNanos();
		this.scheduler = services.scheduler();
		this.listeners = services.listeners();
	}

	/**
	 * Makes pumps stop reading once their blocked read returns (a survivor holds the pipes; see OutputPipes#wake),
	 * and gives up on the streams the event loop still reads.
	 */
	void release() {
		this.pumpsReleased = true;
		this.backpressure.wake();
		PumpedOutput pumped = this.eventLoopOutput;
		if (pumped != null) {
			pumped.release();
		}
	}

	/**
	 * Makes pumps stop waiting for lossless readers, as the job is being stopped: they drain at full speed, and the
	 * readers read as best-effort ones (see {@link OutputBackpressure#releaseReaders()}).
	 */
	void stopHoldingBack() {
		this.unheld = true;
		this.backpressure.releaseReaders();
	}

	/**
	 * Whether a pump waited for lossless readers since the last call, or waits now: then output pipes still open
	 * after the process exited are open because of them. Any thread.
	 * @return {@code true} if held back
	 */
	boolean heldBack() {
		return this.backpressure.waitedSinceAsked();
	}

	/**
	 * Hands the process's stdout and stderr to the launcher's event loop, where it pumps.
	 * @param launcher the launcher that started the process
	 * @param process the process
	 * @param closed called, without the lock, once a stream ended and its last lines were handled
	 * @return whether the event loop pumps them; if not, call {@link #pump} for each
	 */
	boolean pumpOnEventLoop(ProcessLauncher launcher, Process process, Runnable closed) {
		if (!launcher.pumpsOnEventLoop()) {
			return false;
		}
		// every read ends with the readers woken: no read follows at once to wake them midway through
		Stream out = new Stream(StdStream.STDOUT, closed, true);
		Stream err = new Stream(StdStream.STDERR, closed, true);
		this.eventLoopOutput = launcher.pumpOnEventLoop(process, out, err);
		return this.eventLoopOutput != null;
	}

	/**
	 * Reads a stream to its end. The lines of each read are handled as one batch: decoded and handled under one
	 * acquisition of the lock, with one timestamp (they arrived together) and one wake-up of readers, unless the
	 * read holds more lines than a quarter of the replay window (see {@link EventSequencer#publishIfDue}). The read
	 * buffer grows once a read fills it (the decoder keeps a partial line itself, so the buffer may change).
	 * <p>
	 * While the tool keeps writing, the readers of a batch are woken halfway through decoding the next one rather
	 * than as soon as it is published: the read that starts the next batch empties the pipe and so wakes the tool,
	 * which, woken with the readers, would queue behind them for a CPU while this thread waits for it to refill the
	 * pipe (docs/performance.md, change 23). When nothing is left to read, readers are woken before the read
	 * blocks, so they never wait for more output.
	 * <p>
	 * Before each read, the pump waits while lossless readers are a replay window behind ({@link OutputBackpressure}).
	 * @param in the stream's pipe
	 * @param stream which stream it is
	 * @param closed called, without the lock, once the stream ended and its last lines were handled
	 */
	void pump(InputStream in, StdStream stream, Runnable closed) {
		Stream sink = new Stream(stream, closed, false);
		byte[] buffer = new byte[READ_BUFFER];
		try (in) {
			while (true) {
				if (this.backpressure.engaged() && !this.unheld) {
					sink.partial.heldBack = true;
					if (this.backpressure.awaitRoom(this.unholding)) {
						sink.readersToWake = false;
					}
					sink.partial.resumedNanos = System.nanoTime();
					sink.partial.heldBack = false;
				}
				if (sink.readersToWake && in.available() == 0) {
					sink.wakeReaders();
				}
				int n = in.read(buffer);
				if (n <= 0 || this.pumpsReleased) {
					break;
				}
				sink.bytes(buffer, n);
				if (n == buffer.length && buffer.length < LARGE_READ_BUFFER) {
					buffer = new byte[LARGE_READ_BUFFER];
				}
			}
		}
		catch (IOException ex) {
			logger.trace("Job {}: {} closed: {}", this.id, stream.id(), ex.toString());
		}
		sink.ended();
	}

	/**
	 * One stream's decoding: the reads of a pump thread or of the event loop go in, batches of lines go to the
	 * intake. Its methods are called by one thread at a time.
	 */
	private final class Stream implements OutputSink {

		private final LineBatch batch;

		private final LineDecoder decoder;

		private final PartialLines partial;

		private final Runnable closed;

		/** Whether every read ends with its readers woken, rather than halfway through the next. */
		private final boolean wakeAfterEachRead;

		/** Whether readers of the last batch are still to be woken. */
		boolean readersToWake;

		Stream(StdStream stream, Runnable closed, boolean wakeAfterEachRead) {
			this.batch = new LineBatch(OutputPump.this.id, stream, OutputPump.this.intake::line,
					OutputPump.this.intake::undecodedLines, OutputPump.this.eventLog);
			this.decoder = new LineDecoder(OutputPump.this.maxLineLength, this.batch);
			this.partial = new PartialLines(this.decoder, this.batch);
			this.closed = closed;
			this.wakeAfterEachRead = wakeAfterEachRead;
		}

		@Override
		public void bytes(byte[] read, int length) {
			if (OutputPump.this.pumpsReleased) {
				return;
			}
			synchronized (this.decoder) {
				boolean wakeMidway = this.readersToWake;
				this.batch.read(read, length);
				this.readersToWake = lines(this.batch, () -> decode(this.decoder, read, length, wakeMidway),
						this.wakeAfterEachRead);
				this.partial.afterRead();
			}
		}

		/** On the event loop: while lossless readers are a window behind, the stream is left unread, no thread waiting. */
		@Override
		public boolean holdBack(Runnable resume) {
			if (!OutputPump.this.backpressure.engaged() || OutputPump.this.unholding.getAsBoolean()) {
				return false;
			}
			this.partial.heldBack = true;
			boolean held = OutputPump.this.backpressure.holdOff(() -> {
				this.partial.resumedNanos = System.nanoTime();
				this.partial.heldBack = false;
				resume.run();
			}, OutputPump.this.unholding);
			if (!held) {
				this.partial.heldBack = false;
			}
			return held;
		}

		void wakeReaders() {
			wakeReadersNow();
			this.readersToWake = false;
		}

		@Override
		public void ended() {
			if (this.readersToWake) {
				wakeReaders();
			}
			synchronized (this.decoder) {
				this.partial.closed = true;
				lines(this.batch, () -> OutputPump.this.intake.finish(this.decoder, this.batch), true);
			}
			this.closed.run();
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
		this.events.wakeReaders();
		decoder.feed(bytes, half, length - half);
	}

	/** Wakes the readers of events and output, outside a batch. */
	private void wakeReadersNow() {
		this.lock.lock();
		try {
			this.events.wakeReaders();
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

		private final long timeoutNanos = OutputPump.this.partialLineTimeoutNanos;

		private long lastReadNanos;

		/**
		 * Set while the pump may wait for lossless readers, then to when it stopped: the tool was not idle meanwhile,
		 * only unread, so a partial line is not split for that time.
		 */
		private volatile boolean heldBack;

		private volatile long resumedNanos = System.nanoTime();

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
			OutputPump.this.scheduler.get().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
		}

		private void check() {
			synchronized (this.decoder) {
				this.checkPending = false;
				if (this.closed || !this.decoder.hasPartial()) {
					return;
				}
				long since = this.lastReadNanos;
				long resumed = this.resumedNanos;
				if (resumed - since > 0) {
					since = resumed;
				}
				long idle = this.heldBack ? 0 : System.nanoTime() - since;
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
	 * Runs a step of a stream's decoder under the lock, the lines it decodes going to the intake as a batch; then
	 * publishes the batch's events to global subscribers, wakes readers (or leaves that to the caller) and tells
	 * listeners, once.
	 * @param wake whether to wake the readers of events and output here
	 * @return whether the batch added events whose readers the caller is to wake
	 */
	private boolean lines(LineBatch batch, Runnable decode, boolean wake) {
		boolean added;
		this.lock.lock();
		try {
			long before = this.events.lastSeq();
			this.events.startBatch();
			batch.start(this.clock.instant(), this.intake.accepting(), this.intake.linesMayStayUndecoded());
			try {
				decode.run();
				batch.flush();
			}
			finally {
				this.events.endBatch();
				added = this.events.lastSeq() != before;
				if (added && wake) {
					this.events.wakeReaders();
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		if (batch.size() > 0) {
			this.listeners.outputLines(batch.stream(), batch.size(), batch.bytes());
		}
		return added && !wake;
	}

}
