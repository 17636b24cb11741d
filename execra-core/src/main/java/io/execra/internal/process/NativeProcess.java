package io.execra.internal.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process {@link PosixSpawn} started, behaving as the JDK's own: a reaper thread waits for it with
 * {@code waitpid}, a process killed by signal N has exit value 128+N, and stdin's pipe is closed when it exits.
 * {@link #toHandle()} is taken at start, so it names this process even after it is reaped.
 * <p>
 * Started for the {@link EventLoop}, it has no reaper thread: the loop sees the exit through the process's
 * {@code pidfd}; and its stdout and stderr are raw non-blocking descriptors for the loop to read
 * ({@link #pumpOutput}) rather than streams. Its {@link #toHandle()} is then taken when first asked for, not at
 * start (reading {@code /proc} for the process's start time was a tenth of a short job's start): before the loop
 * reaps it, the handle is looked up (the process exists, a zombie at worst, as its pid cannot be reused before the
 * reap, which waits for the lookup); after, it is a {@link ReapedProcess}.
 */
final class NativeProcess extends Process {

	private static final Logger logger = LoggerFactory.getLogger(NativeProcess.class);

	/** Reaper threads come and go with processes, like the JDK's; a small stack is enough for one native call. */
	private static final ExecutorService REAPERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
			new SynchronousQueue<>(), new ReaperThreads());

	private final Libc libc;

	private final int pid;

	/** The process's handle; for the event loop's, {@code null} until asked for. Guarded by {@code this}. */
	private @Nullable ProcessHandle handle;

	/** Whether the event loop reaped the process. Guarded by {@code this}. */
	private boolean reaped;

	private final @Nullable OutputStream stdin;

	private final InputStream stdout;

	private final InputStream stderr;

	private final CompletableFuture<Process> exit = new CompletableFuture<>();

	private volatile int exitValue;

	/** The loop, and stdout's and stderr's descriptors until handed to it; {@code null} for the JDK's way. */
	private @Nullable EventLoop loop;

	private int stdoutFd = -1;

	private int stderrFd = -1;

	NativeProcess(Libc libc, int pid, @Nullable OutputStream stdin, InputStream stdout, InputStream stderr) {
		this.libc = libc;
		this.pid = pid;
		// the child is not reaped before reap() runs, so it exists (perhaps as a zombie)
		this.handle = handleOf(pid);
		this.stdin = stdin;
		this.stdout = stdout;
		this.stderr = stderr;
		REAPERS.execute(this::reap);
	}

	/**
	 * A process whose output and exit the event loop watches.
	 * @param stdoutFd the read end of stdout's pipe, non-blocking, now this process's
	 * @param stderrFd the read end of stderr's pipe, likewise
	 */
	NativeProcess(Libc libc, int pid, @Nullable OutputStream stdin, int stdoutFd, int stderrFd, EventLoop loop) {
		this.libc = libc;
		this.pid = pid;
		this.stdin = stdin;
		this.stdout = InputStream.nullInputStream();
		this.stderr = InputStream.nullInputStream();
		this.loop = loop;
		this.stdoutFd = stdoutFd;
		this.stderrFd = stderrFd;
		if (!loop.watchExit(pid, this, this::reapedByLoop, this::exitedWith)) {
			// no pidfd (out of descriptors): a reaper thread as for the JDK's way, which waits without the lock
			toHandle();
			REAPERS.execute(this::reap);
		}
	}

	/**
	 * Hands stdout and stderr to the event loop, once.
	 * @param out takes stdout's bytes
	 * @param err takes stderr's bytes
	 * @return the streams, or {@code null} if this process is not the event loop's or they were handed over
	 */
	synchronized @Nullable PumpedOutput pumpOutput(OutputSink out, OutputSink err) {
		EventLoop watching = this.loop;
		if (watching == null || this.stdoutFd < 0) {
			return null;
		}
		PumpedOutput output = watching.pump(this.stdoutFd, this.stderrFd, out, err);
		this.stdoutFd = -1;
		this.stderrFd = -1;
		return output;
	}

	/** The event loop reaped the process, holding this object's lock as it did. */
	private void reapedByLoop() {
		this.reaped = true;
	}

	/** The event loop reaped the process: its status, or -2 - errno. */
	private void exitedWith(int status) {
		if (status >= 0) {
			exited(exitValue(status));
			return;
		}
		int error = -2 - status;
		logger.warn("Cannot wait for process {}: error={}, {}", this.pid, error, this.libc.describe(error));
		exited(255);
	}

	private void reap() {
		ByteBuffer status = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
		long address = this.libc.address(status);
		int value;
		while (true) {
			int result;
			try {
				result = (int) this.libc.waitpid.invokeExact(this.libc.callState(), this.pid, address, 0);
			}
			catch (Throwable ex) {
				logger.warn("Cannot wait for process {}: {}", this.pid, ex.toString());
				value = 255;
				break;
			}
			if (result == this.pid) {
				value = exitValue(status.getInt(0));
				break;
			}
			int error = this.libc.errno();
			if (error != Libc.EINTR) {
				logger.warn("Cannot wait for process {}: error={}, {}", this.pid, error, this.libc.describe(error));
				value = 255;
				break;
			}
		}
		exited(value);
	}

	private void exited(int value) {
		this.exitValue = value;
		if (this.stdin != null) {
			try {
				this.stdin.close();
			}
			catch (IOException ex) {
				// the reader is gone
			}
		}
		this.exit.complete(this);
	}

	/** Decodes a {@code waitpid} status as the JDK does: the exit code, or 128 + the signal that ended it. */
	static int exitValue(int status) {
		int signal = status & 0x7f;
		if (signal == 0) {
			return (status >> 8) & 0xff;
		}
		return 0x80 + signal;
	}

	@Override
	public OutputStream getOutputStream() {
		return (this.stdin != null) ? this.stdin : NotAPipe.INSTANCE;
	}

	@Override
	public InputStream getInputStream() {
		return this.stdout;
	}

	@Override
	public InputStream getErrorStream() {
		return this.stderr;
	}

	@Override
	public int waitFor() throws InterruptedException {
		try {
			this.exit.get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
		return this.exitValue;
	}

	@Override
	public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
		try {
			this.exit.get(timeout, unit);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
	}

	@Override
	public int exitValue() {
		if (!this.exit.isDone()) {
			throw new IllegalThreadStateException("process hasn't exited");
		}
		return this.exitValue;
	}

	@Override
	public boolean isAlive() {
		return !this.exit.isDone();
	}

	@Override
	public CompletableFuture<Process> onExit() {
		return this.exit.copy();
	}

	@Override
	public void destroy() {
		toHandle().destroy();
	}

	@Override
	public Process destroyForcibly() {
		toHandle().destroyForcibly();
		return this;
	}

	@Override
	public boolean supportsNormalTermination() {
		return true;
	}

	@Override
	public long pid() {
		return this.pid;
	}

	@Override
	public synchronized ProcessHandle toHandle() {
		ProcessHandle taken = this.handle;
		if (taken == null) {
			taken = this.reaped ? new ReapedProcess(this.pid) : handleOf(this.pid);
			this.handle = taken;
		}
		return taken;
	}

	/** The handle of a child not reaped yet, which therefore exists. */
	private static ProcessHandle handleOf(int pid) {
		return ProcessHandle.of(pid)
			.orElseThrow(() -> new IllegalStateException("Process " + pid + " vanished before it was reaped"));
	}

	@Override
	public String toString() {
		return "NativeProcess[pid=" + this.pid + ", exitValue="
				+ (this.exit.isDone() ? Integer.toString(this.exitValue) : "\"not exited\"") + "]";
	}

	/** stdin of a process whose stdin is not a pipe, as the JDK's: every write fails. */
	private static final class NotAPipe extends OutputStream {

		static final NotAPipe INSTANCE = new NotAPipe();

		@Override
		public void write(int b) throws IOException {
			throw new IOException("Stream closed");
		}

	}

	private static final class ReaperThreads implements java.util.concurrent.ThreadFactory {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(null, task, "execra-process-reaper-" + this.count.incrementAndGet(), 128 * 1024,
					false);
			thread.setDaemon(true);
			return thread;
		}

	}

}
