package io.execra.internal.process;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

import io.execra.internal.Threads;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the output pipes of every process {@link PosixSpawn} started and notices their exits, on a few threads of
 * the JVM for any number of processes, where the thread-per-stream pump needs two threads and a reaper per process.
 * <p>
 * A few {@linkplain IoThreads I/O threads} wait in {@code epoll_wait} on one epoll set (the first alone while it
 * keeps up) and handle what it gives them there: the end of a process (its pipes and {@code pidfd}, usually ready
 * together) reaches its job on the thread the kernel woke, with no hand-off to another. Descriptors are registered
 * one-shot, so each is handled by one thread at a time and armed again once its handling ended. A pipe is read
 * {@value #CHUNK} bytes at a time, up to {@value #CHUNKS_PER_TURN} chunks per turn, for the stream's
 * {@link OutputSink} (decoding, staging, interpreters), then armed again behind every descriptor that became ready
 * meanwhile: while one thread reads a chatty process the others serve the rest, and a stream whose sink is slow is
 * not read meanwhile, so its process waits, as with a pump thread. A sink may ask to be left unread
 * ({@link OutputSink#holdBack}): its descriptor stays unarmed until the sink resumes it. An exit is seen through
 * the process's {@code pidfd} (Linux 5.3+) and reaped with {@code waitpid(WNOHANG)}.
 * <p>
 * One loop serves the JVM, started when first asked for.
 */
public final class EventLoop {

	private static final Logger logger = LoggerFactory.getLogger(EventLoop.class);

	/** Bytes read from a pipe per turn: a whole default pipe. */
	static final int CHUNK = 64 * 1024;

	/** Chunks read from one pipe before it goes behind the descriptors that became ready meanwhile. */
	static final int CHUNKS_PER_TURN = 16;

	/**
	 * Events a thread takes per {@code epoll_wait}: the three of one process's end, without taking so many that the
	 * other threads idle while one works through them.
	 */
	private static final int EVENTS_PER_WAIT = 4;

	private static final Object LOCK = new Object();

	private static @Nullable EventLoop shared;

	private static @Nullable String unavailableReason;

	private static boolean probed;

	private final Epoll epoll;

	private final int epfd;

	private final Map<Long, Watch> watches = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	private final IoThreads threads;

	/** Arms again the descriptors whose sinks resume them, off the sinks' threads and locks. */
	private final ThreadPoolExecutor resumes;

	/** An I/O thread's read buffers: the native one {@code read} fills and its copy the sink gets. */
	private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);

	private EventLoop(Epoll epoll, int epfd) {
		this.epoll = epoll;
		this.epfd = epfd;
		this.resumes = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				Threads.factory("execra-io-resume-", false));
		this.resumes.allowCoreThreadTimeOut(true);
		this.threads = new IoThreads(this::serve);
		this.threads.startFirst();
	}

	/**
	 * The JVM's event loop, started on first use, or {@code null} where it cannot run: off Linux, without the C
	 * library bindings of {@code posix_spawn} ({@link Libc#get()}), or on a kernel without {@code pidfd_open}
	 * (before 5.3); {@link #unavailableReason()} says which.
	 * @return the loop or {@code null}
	 */
	static @Nullable EventLoop shared() {
		synchronized (LOCK) {
			if (!probed) {
				probed = true;
				shared = start();
			}
			return shared;
		}
	}

	/**
	 * Why {@link #shared()} is {@code null}.
	 * @return the reason, or {@code null} when the loop runs or was not asked for yet
	 */
	static @Nullable String unavailableReason() {
		synchronized (LOCK) {
			return unavailableReason;
		}
	}

	private static @Nullable EventLoop start() {
		Libc libc = Libc.get();
		if (libc == null) {
			unavailableReason = "posix_spawn is not available: " + Libc.unavailableReason();
			return null;
		}
		try {
			Epoll epoll = new Epoll(libc);
			int probe = epoll.pidfdOpen((int) ProcessHandle.current().pid());
			if (probe < 0) {
				int error = libc.errno();
				unavailableReason = "pidfd_open failed (Linux 5.3 or later is needed): error=" + error + ", "
						+ libc.describe(error);
				return null;
			}
			epoll.close(probe);
			int epfd = epoll.create();
			if (epfd < 0) {
				int error = libc.errno();
				unavailableReason = "epoll_create1 failed: error=" + error + ", " + libc.describe(error);
				return null;
			}
			return new EventLoop(epoll, epfd);
		}
		catch (Throwable ex) {
			unavailableReason = "the event loop's C functions cannot be bound: " + ex;
			return null;
		}
	}

	/** A launcher uses the loop, until it {@linkplain #release() releases} it. */
	void acquire() {
		this.threads.acquire();
	}

	/** A launcher is closed: when none uses the loop any more, idle I/O threads end within a second. */
	void release() {
		this.threads.release();
	}

	Epoll epoll() {
		return this.epoll;
	}

	/**
	 * Reads a process's stdout and stderr pipes until each ends. The descriptors are the event loop's from now on:
	 * it closes them.
	 * @param stdout the read end of stdout's pipe, non-blocking
	 * @param stderr the read end of stderr's pipe, non-blocking
	 * @param out takes stdout's bytes
	 * @param err takes stderr's bytes
	 * @return the streams, which can be given up on
	 */
	PumpedOutput pump(int stdout, int stderr, OutputSink out, OutputSink err) {
		OutputWatch outWatch = new OutputWatch(stdout, out);
		OutputWatch errWatch = new OutputWatch(stderr, err);
		if (!outWatch.register()) {
			// the output is lost, and the process gets SIGPIPE if it writes: never seen short of a kernel limit
			out.ended();
		}
		if (!errWatch.register()) {
			err.ended();
		}
		return new PumpedOutput(List.of(outWatch, errWatch));
	}

	/**
	 * Tells of a child process's exit, on an I/O thread, once it exited and was reaped.
	 * @param pid the child, not reaped by anyone else
	 * @param reapLock held while the child is reaped, so that its owner can look its pid up while it is not
	 * @param reaped run holding that lock right after the child was reaped
	 * @param exited takes its {@code waitpid} status, or {@code -2 - errno} if it could not be reaped; run without
	 * the lock
	 * @return {@code false} if its {@code pidfd} cannot be opened (nothing will be told)
	 */
	boolean watchExit(int pid, Object reapLock, Runnable reaped, IntConsumer exited) {
		int pidfd;
		try {
			pidfd = this.epoll.pidfdOpen(pid);
		}
		catch (Throwable ex) {
			return false;
		}
		if (pidfd < 0) {
			logger.debug("pidfd_open({}) failed: error={}", pid, this.epoll.libc().errno());
			return false;
		}
		return new ExitWatch(pidfd, pid, reapLock, reaped, exited).register();
	}

	/**
	 * An I/O thread: waits for ready descriptors and handles them.
	 * @param first whether this is the loop's first thread, which never ends
	 */
	private void serve(boolean first) {
		ByteBuffer events = ByteBuffer.allocateDirect(EVENTS_PER_WAIT * Epoll.EVENT_SIZE)
			.order(ByteOrder.nativeOrder());
		long idleSince = System.nanoTime();
		while (true) {
			if (!first && !this.threads.awaitWanted(idleSince)) {
				return;
			}
			if (first) {
				this.threads.turnEnded();
			}
			int ready;
			try {
				ready = this.epoll.await(this.epfd, events, EVENTS_PER_WAIT, first ? -1 : IoThreads.POLL_MILLIS);
			}
			catch (Throwable ex) {
				logger.error("epoll_wait cannot be called; output and exits are no longer seen", ex);
				return;
			}
			if (first && ready > 0) {
				this.threads.turnStarted();
			}
			if (ready < 0) {
				int error = this.epoll.libc().errno();
				if (error != Libc.EINTR) {
					logger.warn("epoll_wait failed: error={}, {}", error, this.epoll.libc().describe(error));
					pause();
				}
				continue;
			}
			if (ready == 0) {
				continue;
			}
			if (ready == EVENTS_PER_WAIT) {
				this.threads.backlog();
			}
			for (int i = 0; i < ready; i++) {
				Watch watch = this.watches.get(events.getLong(i * Epoll.EVENT_SIZE + Epoll.DATA_OFFSET));
				if (watch == null) {
					continue;
				}
				try {
					watch.run();
				}
				catch (RuntimeException | Error ex) {
					// what a sink's end set off (a job's finalization) failed: the thread serves the others on
					logger.error("Handling descriptor {} failed", watch.fd, ex);
				}
			}
			idleSince = System.nanoTime();
		}
	}

	private static void pause() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A descriptor in the epoll set, handled on an I/O thread when it becomes readable. Its descriptor is only read,
	 * armed and closed under its monitor, so it is never closed (and its number reused) while in use.
	 */
	private abstract class Watch {

		final long id = EventLoop.this.ids.incrementAndGet();

		final int fd;

		/** Guarded by this. */
		boolean closed;

		/** Set by {@link #ready()} to leave the descriptor unarmed until resumed; guarded by this. */
		boolean held;

		Watch(int fd) {
			this.fd = fd;
		}

		/**
		 * Adds the descriptor to the epoll set; if it cannot be, closes it.
		 * @return whether it was added
		 */
		final boolean register() {
			EventLoop.this.watches.put(this.id, this);
			int result;
			try {
				result = EventLoop.this.epoll.add(EventLoop.this.epfd, this.fd, this.id);
			}
			catch (Throwable ex) {
				result = -1;
			}
			if (result == 0) {
				EventLoop.this.threads.ensureLookout();
				return true;
			}
			logger.error("Cannot watch descriptor {} (epoll_ctl: error={})", this.fd,
					EventLoop.this.epoll.libc().errno());
			synchronized (this) {
				closeLocked();
			}
			return false;
		}

		final synchronized void run() {
			if (this.closed) {
				return;
			}
			boolean again;
			try {
				again = ready();
			}
			catch (Throwable ex) {
				logger.warn("Reading descriptor {} failed; giving it up", this.fd, ex);
				again = false;
			}
			if (this.closed || (again && this.held)) {
				return;
			}
			if (again && rearm()) {
				return;
			}
			closeLocked();
			closed();
		}

		private boolean rearm() {
			try {
				if (EventLoop.this.epoll.rearm(EventLoop.this.epfd, this.fd, this.id) == 0) {
					return true;
				}
			}
			catch (Throwable ex) {
				// given up below
			}
			logger.error("Cannot watch descriptor {} again (epoll_ctl: error={}); giving it up", this.fd,
					EventLoop.this.epoll.libc().errno());
			return false;
		}

		/** Arms the descriptor left unarmed by a {@link #held} turn, on the loop's resume thread. */
		final void resume() {
			EventLoop.this.resumes.execute(this::resumeNow);
		}

		private synchronized void resumeNow() {
			if (this.closed || !this.held) {
				return;
			}
			this.held = false;
			if (!rearm()) {
				closeLocked();
				closed();
			}
		}

		/** Handles readiness; @return whether to be told again (or, if it set {@link #held}, to be resumed) */
		abstract boolean ready() throws Throwable;

		/** Called once, under the monitor, after the descriptor was closed. */
		abstract void closed();

		final void closeLocked() {
			this.closed = true;
			EventLoop.this.watches.remove(this.id);
			try {
				int ignored = EventLoop.this.epoll.remove(EventLoop.this.epfd, this.fd);
			}
			catch (Throwable ex) {
				// closing removes it too
			}
			EventLoop.this.epoll.close(this.fd);
		}

	}

	/** A pipe of a process's output. */
	final class OutputWatch extends Watch {

		private final OutputSink sink;

		OutputWatch(int fd, OutputSink sink) {
			super(fd);
			this.sink = sink;
		}

		@Override
		boolean ready() throws Throwable {
			Buffers buffers = EventLoop.this.buffers.get();
			int n;
			if (this.sink.holdBack(this::resume)) {
				this.held = true;
				return true;
			}
			// a full pipe is read on for a few chunks: a chatty process is drained as a pump thread would, without a
			// round trip through the epoll set (and perhaps a wake-up of another thread) per chunk
			int chunks = 0;
			while ((n = EventLoop.this.epoll.read(this.fd, buffers.direct, CHUNK)) > 0) {
				buffers.direct.get(0, buffers.array, 0, n);
				this.sink.bytes(buffers.array, n);
				if (n < CHUNK || ++chunks == CHUNKS_PER_TURN) {
					return true;
				}
				if (this.sink.holdBack(this::resume)) {
					this.held = true;
					return true;
				}
			}
			if (n == 0) {
				return false;
			}
			int error = EventLoop.this.epoll.libc().errno();
			if (error == Epoll.EAGAIN || error == Libc.EINTR) {
				return true;
			}
			logger.debug("Reading pipe {} failed: error={}", this.fd, error);
			return false;
		}

		@Override
		void closed() {
			this.sink.ended();
		}

		/** Gives the stream up, unless it ended. */
		synchronized void release() {
			if (!this.closed) {
				closeLocked();
				closed();
			}
		}

	}

	/** A child's pidfd. */
	private final class ExitWatch extends Watch {

		private final int pid;

		private final Object reapLock;

		private final Runnable reaped;

		private final IntConsumer exited;

		/** The status, or -2 - errno; -2 when reaping failed otherwise. */
		private int status = -2;

		ExitWatch(int pidfd, int pid, Object reapLock, Runnable reaped, IntConsumer exited) {
			super(pidfd);
			this.pid = pid;
			this.reapLock = reapLock;
			this.reaped = reaped;
			this.exited = exited;
		}

		@Override
		boolean ready() throws Throwable {
			int result;
			synchronized (this.reapLock) {
				result = EventLoop.this.epoll.reap(this.pid);
				if (result != -1) {
					this.reaped.run();
				}
			}
			if (result == -1) {
				return true;
			}
			this.status = result;
			return false;
		}

		@Override
		void closed() {
			this.exited.accept(this.status);
		}

	}

	private record Buffers(ByteBuffer direct, byte[] array) {

		Buffers() {
			this(ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.nativeOrder()), new byte[CHUNK]);
		}

	}

}
