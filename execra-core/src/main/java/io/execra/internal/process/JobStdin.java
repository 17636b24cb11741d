package io.execra.internal.process;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.execra.JobId;
import io.execra.Stdin;
import io.execra.StdinBufferFullException;
import io.execra.StdinClosedException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's stdin: fixed bytes written in the background, or an interactive pipe. Writes to the pipe are queued, up
 * to a bound in bytes, and written in order by a writer on another thread, so that no caller ever waits for the
 * process to read: not {@link #write}, not {@link #close}, not the job's cancellation. Writes made before the process
 * starts are queued the same way and written once it starts. When the process takes none of the queued bytes for the
 * write timeout, they are dropped and stdin stops taking writes. Thread-safe.
 */
public final class JobStdin {

	private static final Logger logger = LoggerFactory.getLogger(JobStdin.class);

	/** Bytes the writer hands to the pipe in one call: the unit in which the write timeout sees progress. */
	private static final int SLICE = 8 * 1024;

	private final JobId jobId;

	private final Stdin mode;

	private final Executor threads;

	private final Supplier<ScheduledExecutorService> scheduler;

	private final long maxBytes;

	private final Duration writeTimeout;

	private final Consumer<String> onTimeout;

	/** Guards the fields below; never held while writing to or closing the pipe. */
	private final ReentrantLock lock = new ReentrantLock();

	/** Written bytes not yet handed to the pipe, the first from {@link #headOffset} on. */
	private final ArrayDeque<byte[]> pending = new ArrayDeque<>();

	private int headOffset;

	/** Bytes queued and not yet taken by the pipe, the slice being written included. */
	private long pendingBytes;

	private @Nullable OutputStream pipe;

	private boolean started;

	private boolean closeRequested;

	/** The process exited or the job ended: no more writes. */
	private boolean ended;

	/** Why the pipe stopped taking writes (a write failed or timed out), or {@code null}. */
	private @Nullable String failure;

	/** Whether a writer runs; only it writes to or closes the pipe while it does. */
	private boolean writing;

	/** Whether the writer is in a write to the pipe, since {@link #sliceStarted} ({@link System#nanoTime()}). */
	private boolean inWrite;

	private long sliceStarted;

	private @Nullable ScheduledFuture<?> watchdog;

	/**
	 * A job's stdin.
	 * @param jobId the job
	 * @param mode what the process reads
	 * @param threads where the writer runs
	 * @param scheduler where the write timeout is checked
	 * @param maxBytes bytes queued at most
	 * @param writeTimeout how long the process may take none of the queued bytes
	 * @param onTimeout told why, after the queued bytes were dropped for the write timeout
	 */
	public JobStdin(JobId jobId, Stdin mode, Executor threads, Supplier<ScheduledExecutorService> scheduler, long maxBytes,
			Duration writeTimeout, Consumer<String> onTimeout) {
		this.jobId = jobId;
		this.mode = mode;
		this.threads = threads;
		this.scheduler = scheduler;
		this.maxBytes = maxBytes;
		this.writeTimeout = writeTimeout;
		this.onTimeout = onTimeout;
	}

	/**
	 * Connects the started process: writes fixed bytes in the background, or opens the pipe and starts writing what
	 * was queued before the start (then closes it if that was asked).
	 * @param process the process
	 */
	public void connect(Process process) {
		if (this.mode instanceof Stdin.Bytes bytes) {
			this.threads.execute(() -> {
				try (OutputStream out = process.getOutputStream()) {
					out.write(bytes.bytes());
				}
				catch (IOException ex) {
					logger.debug("Job {}: stdin not fully written: {}", this.jobId, ex.toString());
				}
			});
			return;
		}
		if (!(this.mode instanceof Stdin.Pipe)) {
			return;
		}
		OutputStream closeNow = null;
		boolean startWriter = false;
		this.lock.lock();
		try {
			this.started = true;
			if (!this.ended) {
				this.pipe = process.getOutputStream();
				if (!this.pending.isEmpty()) {
					startWriter = startingWriter();
				}
				else if (this.closeRequested) {
					closeNow = takePipe();
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		closeQuietly(closeNow);
		if (startWriter) {
			startWriter();
		}
	}

	/**
	 * The process exited or the job ended: no more writes, queued bytes are dropped. Never blocks.
	 */
	public void end() {
		this.lock.lock();
		try {
			this.ended = true;
			this.pipe = null;
			dropPending();
			stopWatchdog();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Queues bytes for the process (written once it starts if it has not yet). Never waits for the process.
	 * @param bytes the bytes
	 * @throws StdinClosedException if stdin is not a pipe, was closed, stopped taking writes, or the process exited
	 * @throws StdinBufferFullException if the bytes would pass the bound of what may be queued
	 */
	public void write(byte[] bytes) {
		boolean startWriter = false;
		this.lock.lock();
		try {
			if (!(this.mode instanceof Stdin.Pipe) || this.ended || this.closeRequested || this.failure != null) {
				throw closed();
			}
			if (this.pendingBytes + bytes.length > this.maxBytes) {
				throw new StdinBufferFullException("Job " + this.jobId + ": stdin buffer full: " + this.pendingBytes
						+ " bytes are waiting for the process to " + (this.started ? "read them" : "start")
						+ " and " + bytes.length + " more would pass the bound of " + this.maxBytes
						+ " bytes (stdinBufferBytes)");
			}
			if (bytes.length == 0) {
				return;
			}
			this.pending.add(bytes.clone());
			this.pendingBytes += bytes.length;
			if (this.started && !this.writing) {
				startWriter = startingWriter();
			}
		}
		finally {
			this.lock.unlock();
		}
		if (startWriter) {
			startWriter();
		}
	}

	private StdinClosedException closed() {
		String why;
		if (!(this.mode instanceof Stdin.Pipe)) {
			why = "the command's stdin is " + this.mode.mode() + ", not pipe";
		}
		else if (this.failure != null) {
			why = this.failure;
		}
		else {
			why = "it was closed or the process exited";
		}
		return new StdinClosedException("Job " + this.jobId + ": stdin is not open for writing (" + why + ")");
	}

	/**
	 * Closes stdin, so that the process reads end-of-file after the bytes queued before; before the start, once it
	 * starts. Never waits: while the writer runs, the writer closes it.
	 */
	public void close() {
		OutputStream closeNow = null;
		this.lock.lock();
		try {
			this.closeRequested = true;
			if (this.started && !this.writing) {
				closeNow = takePipe();
			}
		}
		finally {
			this.lock.unlock();
		}
		closeQuietly(closeNow);
	}

	// ---- the writer ----------------------------------------------------------------------------------------

	/** Marks the writer as running, if there is a pipe to write to. Call under the lock. */
	private boolean startingWriter() {
		if (this.pipe == null) {
			return false;
		}
		this.writing = true;
		return true;
	}

	private void startWriter() {
		try {
			this.threads.execute(this::drain);
		}
		catch (RejectedExecutionException ex) {
			stopWriting("the runtime is shutting down", null);
		}
	}

	/**
	 * Hands the queued bytes to the pipe, slice by slice, then closes it if that was asked, or if the write timed
	 * out (the pipe of a job that ended is closed when its process exits).
	 */
	private void drain() {
		OutputStream closeAfter = null;
		while (true) {
			byte[] head;
			int offset;
			int length;
			OutputStream out;
			this.lock.lock();
			try {
				out = this.pipe;
				head = this.pending.peek();
				if (out == null || this.failure != null || head == null) {
					this.writing = false;
					this.inWrite = false;
					stopWatchdog();
					if (out != null && (this.failure != null || this.closeRequested)) {
						closeAfter = takePipe();
					}
					break;
				}
				offset = this.headOffset;
				length = Math.min(SLICE, head.length - offset);
				this.inWrite = true;
				this.sliceStarted = System.nanoTime();
				startWatchdog();
			}
			finally {
				this.lock.unlock();
			}
			try {
				out.write(head, offset, length);
				out.flush();
			}
			catch (IOException ex) {
				stopWriting("could not write to stdin: " + ex.getMessage(), out);
				return;
			}
			this.lock.lock();
			try {
				this.inWrite = false;
				// unless the queue was dropped meanwhile (timed out, or the job ended)
				if (this.pending.peek() == head) {
					this.pendingBytes -= length;
					this.headOffset += length;
					if (this.headOffset == head.length) {
						this.pending.poll();
						this.headOffset = 0;
					}
				}
			}
			finally {
				this.lock.unlock();
			}
		}
		closeQuietly(closeAfter);
	}

	/** The pipe failed, or no writer can run: stdin stops taking writes. */
	private void stopWriting(String why, @Nullable OutputStream out) {
		this.lock.lock();
		try {
			if (this.failure == null) {
				this.failure = why;
			}
			this.writing = false;
			this.inWrite = false;
			this.pipe = null;
			dropPending();
			stopWatchdog();
		}
		finally {
			this.lock.unlock();
		}
		logger.debug("Job {}: stdin stopped taking writes: {}", this.jobId, why);
		closeQuietly(out);
	}

	// ---- the write timeout ---------------------------------------------------------------------------------

	/** Makes sure a check of the write timeout is due while the writer runs. Call under the lock. */
	private void startWatchdog() {
		if (this.watchdog == null) {
			scheduleCheck(this.writeTimeout.toNanos());
		}
	}

	private void scheduleCheck(long nanos) {
		try {
			this.watchdog = this.scheduler.get().schedule(this::checkTimeout, nanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the runtime shut down: its jobs are being killed, which ends any write
			this.watchdog = null;
		}
	}

	private void stopWatchdog() {
		ScheduledFuture<?> scheduled = this.watchdog;
		this.watchdog = null;
		if (scheduled != null) {
			scheduled.cancel(false);
		}
	}

	/** Drops the queued bytes once the writer has been stuck in one write for the timeout; otherwise checks later. */
	private void checkTimeout() {
		String timedOut = null;
		this.lock.lock();
		try {
			this.watchdog = null;
			if (!this.writing || this.failure != null) {
				return;
			}
			long stuck = this.inWrite ? System.nanoTime() - this.sliceStarted : 0;
			long timeout = this.writeTimeout.toNanos();
			if (stuck < timeout) {
				scheduleCheck(timeout - stuck);
				return;
			}
			timedOut = "the process took none of the bytes waiting on its stdin for " + this.writeTimeout.toMillis()
					+ " ms (stdinWriteTimeout); " + this.pendingBytes + " bytes were dropped";
			this.failure = timedOut;
			dropPending();
		}
		finally {
			this.lock.unlock();
		}
		logger.debug("Job {}: {}", this.jobId, timedOut);
		this.onTimeout.accept(timedOut);
	}

	// ---- helpers -------------------------------------------------------------------------------------------

	/** Call under the lock. */
	private void dropPending() {
		this.pending.clear();
		this.pendingBytes = 0;
		this.headOffset = 0;
	}

	/** Takes the pipe to close it, outside the lock. Call under the lock. */
	private @Nullable OutputStream takePipe() {
		OutputStream out = this.pipe;
		this.pipe = null;
		return out;
	}

	private void closeQuietly(@Nullable OutputStream out) {
		if (out != null) {
			try {
				out.close();
			}
			catch (IOException ex) {
				logger.trace("Job {}: closing stdin: {}", this.jobId, ex.toString());
			}
		}
	}

}
