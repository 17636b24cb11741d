package io.execra.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import io.execra.JobId;
import io.execra.Stdin;
import io.execra.StdinClosedException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's stdin: fixed bytes written in the background, or an interactive pipe. Writes made before the process
 * starts are kept (up to a bound) and flushed when it starts. Thread-safe; never called under the job's lock
 * when it may block.
 */
final class JobStdin {

	private static final Logger logger = LoggerFactory.getLogger(JobStdin.class);

	/** Stdin bytes buffered at most before the process starts. */
	static final int MAX_EARLY_BYTES = 1024 * 1024;

	private final JobId jobId;

	private final Stdin mode;

	private final Executor threads;

	private final ByteArrayOutputStream early = new ByteArrayOutputStream();

	private volatile @Nullable OutputStream pipe;

	private boolean started;

	private boolean closeRequested;

	/** Set without the monitor: a write blocked on a full pipe must not block the caller of {@link #end()}. */
	private volatile boolean ended;

	/** Writes made off the caller's thread, one after the other. */
	private CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);

	JobStdin(JobId jobId, Stdin mode, Executor threads) {
		this.jobId = jobId;
		this.mode = mode;
		this.threads = threads;
	}

	/**
	 * Connects the started process: writes fixed bytes in the background, or opens the pipe and flushes early
	 * writes.
	 * @param process the process
	 */
	synchronized void connect(Process process) {
		this.started = true;
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
		this.pipe = process.getOutputStream();
		try {
			if (this.early.size() > 0) {
				this.early.writeTo(this.pipe);
				this.pipe.flush();
			}
			if (this.closeRequested) {
				closePipe();
			}
		}
		catch (IOException ex) {
			this.pipe = null;
			logger.debug("Job {}: early stdin not fully written: {}", this.jobId, ex.toString());
		}
		this.early.reset();
	}

	/**
	 * The process exited or the job ended: no more writes. Never blocks.
	 */
	void end() {
		this.ended = true;
		this.pipe = null;
	}

	/**
	 * Writes bytes now (or keeps them until the process starts).
	 * @param bytes the bytes
	 * @throws StdinClosedException if stdin is not a pipe, was closed, or the process exited
	 */
	synchronized void write(byte[] bytes) {
		if (!this.started && !this.ended && !this.closeRequested && this.mode instanceof Stdin.Pipe) {
			if (this.early.size() + bytes.length > MAX_EARLY_BYTES) {
				throw new StdinClosedException("Job " + this.jobId + ": more than " + MAX_EARLY_BYTES
						+ " bytes written to stdin before the process started");
			}
			this.early.write(bytes, 0, bytes.length);
			return;
		}
		OutputStream out = this.ended ? null : this.pipe;
		if (out == null) {
			throw new StdinClosedException("Job " + this.jobId + ": stdin is not open for writing ("
					+ ((this.mode instanceof Stdin.Pipe) ? "it was closed or the process exited"
							: "the command's stdin is " + this.mode.mode() + ", not pipe")
					+ ")");
		}
		try {
			out.write(bytes);
			out.flush();
		}
		catch (IOException ex) {
			this.pipe = null;
			throw new StdinClosedException("Job " + this.jobId + ": could not write to stdin: " + ex.getMessage());
		}
	}

	/**
	 * Writes bytes on another thread, in order with earlier such writes, so the caller never blocks on a child
	 * that does not read.
	 * @param bytes the bytes
	 * @param onFailure receives the error if the write fails
	 */
	synchronized void writeLater(byte[] bytes, Consumer<StdinClosedException> onFailure) {
		this.chain = this.chain.thenRunAsync(() -> {
			try {
				write(bytes);
			}
			catch (StdinClosedException ex) {
				onFailure.accept(ex);
			}
		}, this.threads);
	}

	/**
	 * Closes stdin, so the process reads end-of-file; before the start, once it starts.
	 */
	synchronized void close() {
		this.closeRequested = true;
		closePipe();
	}

	private void closePipe() {
		OutputStream out = this.pipe;
		this.pipe = null;
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
