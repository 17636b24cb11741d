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
 * Reads the output pipes of every process {@link PosixSpawn} started and notices their exits, on one thread of the
 * JVM for any number of processes, where the thread-per-stream pump needs two threads and a reaper per process.
 * <p>
 * The loop's thread only waits in {@code epoll_wait} and hands each ready descriptor to a small pool of I/O
 * workers ({@code max(4, 2 × cores)}); the descriptors are registered one-shot, so each is handled by one worker at a
 * time and is armed again only once its handling ended. A worker reads at most {@value #CHUNK} bytes of a pipe per
 * turn and hands them to the stream's {@link OutputSink} (decoding, staging and interpreters run there, off the
 * loop), then arms it again, which puts it behind every descriptor that became ready meanwhile: a chatty process
 * gets a chunk per turn like any other (it reads on only while no other descriptor waits for a worker), and a stream whose sink is slow is not read meanwhile, so its pipe fills and
 * its process waits, as with a pump thread. A sink may also ask to be left unread ({@link OutputSink#holdBack}):
 * its descriptor then stays unarmed, with no worker waiting, until the sink resumes it. An exit is seen through the process's {@code pidfd} (Linux 5.3+),
 * which becomes readable when it exits, and reaped with {@code waitpid(WNOHANG)}.
 * <p>
 * One loop serves the JVM; it starts when first asked for and its threads are daemons. Idle workers end after
 * {@value #WORKER_IDLE_SECONDS} s while a launcher uses the loop, at once when none does any more.
 */
public final class EventLoop {

	private static final Logger logger = LoggerFactory.getLogger(EventLoop.class);

	/** Bytes read from a pipe per turn: a whole default pipe. */
	static final int CHUNK = 64 * 1024;

	/** Events taken per {@code epoll_wait}. */
	private static final int MAX_EVENTS = 256;

	private static final int WORKER_IDLE_SECONDS = 10;

	private static final Object LOCK = new Object();

	private static @Nullable EventLoop shared;

	private static @Nullable String unavailableReason;

	private static boolean probed;

	private final Epoll epoll;

	private final int epfd;

	private final Map<Long, Watch> watches = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	private final ThreadPoolExecutor workers;

	/** Launchers using the loop, which are not closed; guarded by the loop. */
	private int users;

	/** A worker's read buffers: the native one {@code read} fills and its copy the sink gets. */
	private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);

	private EventLoop(Epoll epoll, int epfd) {
		this.epoll = epoll;
		this.epfd = epfd;
		int workerCount = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
		this.workers = new ThreadPoolExecutor(workerCount, workerCount, WORKER_IDLE_SECONDS,
				TimeUnit.SECONDS, new LinkedBlockingQueue<>(), Threads.factory("execra-io-", false));
		this.workers.allowCoreThreadTimeOut(true);
		Thread loop = Threads.factory("execra-event-loop", false).newThread(this::loop);
		loop.setName("execra-event-loop");
		loop.start();
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
	synchronized void acquire() {
		if (this.users++ == 0) {
			this.workers.setKeepAliveTime(WORKER_IDLE_SECONDS, TimeUnit.SECONDS);
		}
	}

	/** A launcher is closed: when none uses the loop any more, idle workers end now, and later ones once idle. */
	synchronized void release() {
		if (--this.users == 0) {
			this.workers.setKeepAliveTime(1, TimeUnit.MILLISECONDS);
		}
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
	 * Tells of a child process's exit, on an I/O worker, once it exited and was reaped.
	 * @param pid the child, not reaped by anyone else
	 * @param exited takes its {@code waitpid} status, or {@code -2 - errno} if it could not be reaped
	 * @return {@code false} if its {@code pidfd} cannot be opened (nothing will be told)
	 */
	boolean watchExit(int pid, IntConsumer exited) {
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
		return new ExitWatch(pidfd, pid, exited).register();
	}

	private void loop() {
		ByteBuffer events = ByteBuffer.allocateDirect(MAX_EVENTS * Epoll.EVENT_SIZE).order(ByteOrder.nativeOrder());
		while (true) {
			int ready;
			try {
				ready = this.epoll.await(this.epfd, events, MAX_EVENTS, -1);
			}
			catch (Throwable ex) {
				logger.error("epoll_wait cannot be called; output and exits are no longer seen", ex);
				return;
			}
			if (ready < 0) {
				int error = this.epoll.libc().errno();
				if (error != Libc.EINTR) {
					logger.warn("epoll_wait failed: error={}, {}", error, this.epoll.libc().describe(error));
					pause();
				}
				continue;
			}
			for (int i = 0; i < ready; i++) {
				Watch watch = this.watches.get(events.getLong(i * Epoll.EVENT_SIZE + Epoll.DATA_OFFSET));
				if (watch != null) {
					this.workers.execute(watch);
				}
			}
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
	 * A descriptor in the epoll set, handled on a worker when it becomes readable. Its descriptor is only read,
	 * armed and closed under its monitor, so it is never closed (and its number reused) while in use.
	 */
	private abstract class Watch implements Runnable {

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
				return true;
			}
			logger.error("Cannot watch descriptor {} (epoll_ctl: error={})", this.fd,
					EventLoop.this.epoll.libc().errno());
			synchronized (this) {
				closeLocked();
			}
			return false;
		}

		@Override
		public final synchronized void run() {
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

		/** Arms the descriptor left unarmed by a {@link #held} turn, on a worker. */
		final void resume() {
			EventLoop.this.workers.execute(this::resumeNow);
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
			// a full pipe is read on while no other descriptor waits for a worker: a lone chatty process is
			// drained as a pump thread would, without a round trip through the loop per chunk
			while ((n = EventLoop.this.epoll.read(this.fd, buffers.direct, CHUNK)) > 0) {
				buffers.direct.get(0, buffers.array, 0, n);
				this.sink.bytes(buffers.array, n);
				if (n < CHUNK || !EventLoop.this.workers.getQueue().isEmpty()) {
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

		private final IntConsumer exited;

		/** The status, or -2 - errno; -2 when reaping failed otherwise. */
		private int status = -2;

		ExitWatch(int pidfd, int pid, IntConsumer exited) {
			super(pidfd);
			this.pid = pid;
			this.exited = exited;
		}

		@Override
		boolean ready() throws Throwable {
			int result = EventLoop.this.epoll.reap(this.pid);
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

	private static final class Buffers {

		final ByteBuffer direct = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.nativeOrder());

		final byte[] array = new byte[CHUNK];

	}

}
