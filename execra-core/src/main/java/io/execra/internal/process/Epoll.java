package io.execra.internal.process;

import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.jspecify.annotations.Nullable;

/**
 * The Linux calls of the {@link EventLoop}: {@code epoll}, non-blocking reads of pipes and {@code pidfd_open}, bound
 * through the same {@link Libc.Linkage} as {@link PosixSpawn}'s functions (FFM on JDK 22+, JNA on 17–21), apart from
 * them, so that a C library or kernel without them costs the event loop only, never {@code posix_spawn}.
 * <p>
 * Every call that can fail returns {@code -1} and leaves {@code errno} for {@link Libc#errno()} of the same thread.
 */
final class Epoll {

	static final int EPOLLIN = 0x001;

	static final int EPOLLONESHOT = 1 << 30;

	static final int EAGAIN = 11;

	private static final int EPOLL_CLOEXEC = Libc.O_CLOEXEC;

	private static final int EPOLL_CTL_ADD = 1;

	private static final int EPOLL_CTL_DEL = 2;

	private static final int EPOLL_CTL_MOD = 3;

	private static final int F_SETFL = 4;

	private static final int O_NONBLOCK = 04000;

	private static final int WNOHANG = 1;

	/** {@code pidfd_open}'s number in the generic syscall table, which x86_64 and aarch64 share for it. */
	private static final long SYS_PIDFD_OPEN = 434;

	/** {@code struct epoll_event} is packed on x86_64 (12 bytes), naturally aligned elsewhere (16). */
	static final int EVENT_SIZE = isX86() ? 12 : 16;

	/** Where the event's {@code epoll_data_t} is. */
	static final int DATA_OFFSET = isX86() ? 4 : 8;

	private final Libc libc;

	private final MethodHandle epollCreate1;

	private final MethodHandle epollCtl;

	private final MethodHandle epollWait;

	private final MethodHandle read;

	private final MethodHandle fcntl;

	private final @Nullable MethodHandle pidfdOpen;

	private final @Nullable MethodHandle syscall;

	/** One {@code epoll_event} per thread, for {@code epoll_ctl}. */
	private final ThreadLocal<ByteBuffer> event = ThreadLocal
		.withInitial(() -> ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder()));

	private final ThreadLocal<ByteBuffer> status = ThreadLocal
		.withInitial(() -> ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()));

	Epoll(Libc libc) throws ReflectiveOperationException {
		this.libc = libc;
		Libc.Linkage linkage = libc.linkage;
		this.epollCreate1 = linkage.bind("epoll_create1", true, int.class, int.class);
		this.epollCtl = linkage.bind("epoll_ctl", true, int.class, int.class, int.class, int.class, long.class);
		this.epollWait = linkage.bind("epoll_wait", true, int.class, int.class, long.class, int.class, int.class);
		// ssize_t, read as its low 32 bits: a read asks for at most 64 KiB, and -1 stays -1
		this.read = linkage.bind("read", true, int.class, int.class, long.class, long.class);
		// variadic in C: an int third argument is passed as a fixed one is on the 64-bit Linux ABIs
		this.fcntl = linkage.bind("fcntl", true, int.class, int.class, int.class, int.class);
		MethodHandle wrapper = null;
		MethodHandle raw = null;
		try {
			// glibc 2.36 and later
			wrapper = linkage.bind("pidfd_open", true, int.class, int.class, int.class);
		}
		catch (ReflectiveOperationException ex) {
			raw = linkage.bind("syscall", true, int.class, long.class, int.class, int.class);
		}
		this.pidfdOpen = wrapper;
		this.syscall = raw;
	}

	Libc libc() {
		return this.libc;
	}

	/** @return a new epoll set (close-on-exec), or -1 */
	int create() throws Throwable {
		return (int) this.epollCreate1.invokeExact(this.libc.callState(), EPOLL_CLOEXEC);
	}

	/** Adds a descriptor, reported once (one-shot) with {@code data} when readable; @return 0 or -1 */
	int add(int epfd, int fd, long data) throws Throwable {
		return control(epfd, EPOLL_CTL_ADD, fd, data);
	}

	/** Arms a one-shot descriptor again; @return 0 or -1 */
	int rearm(int epfd, int fd, long data) throws Throwable {
		return control(epfd, EPOLL_CTL_MOD, fd, data);
	}

	/** Removes a descriptor; @return 0 or -1 */
	int remove(int epfd, int fd) throws Throwable {
		return control(epfd, EPOLL_CTL_DEL, fd, 0);
	}

	private int control(int epfd, int op, int fd, long data) throws Throwable {
		ByteBuffer event = this.event.get();
		event.putInt(0, EPOLLIN | EPOLLONESHOT);
		event.putLong(DATA_OFFSET, data);
		return (int) this.epollCtl.invokeExact(this.libc.callState(), epfd, op, fd, this.libc.address(event));
	}

	/**
	 * Waits for ready descriptors.
	 * @param events {@code max} events of {@link #EVENT_SIZE} bytes
	 * @return how many are ready, or -1
	 */
	int await(int epfd, ByteBuffer events, int max, int timeoutMillis) throws Throwable {
		return (int) this.epollWait.invokeExact(this.libc.callState(), epfd, this.libc.address(events), max,
				timeoutMillis);
	}

	/** @return bytes read into the buffer from its start, 0 at the end of the stream, or -1 */
	int read(int fd, ByteBuffer buffer, int length) throws Throwable {
		return (int) this.read.invokeExact(this.libc.callState(), fd, this.libc.address(buffer), (long) length);
	}

	/**
	 * Makes reads of a new pipe's read end return at once when nothing is there. One {@code F_SETFL} without a
	 * {@code F_GETFL} first: such a descriptor has no other status flag that it could clear.
	 * @return 0 or -1
	 */
	int nonBlocking(int fd) throws Throwable {
		int result = (int) this.fcntl.invokeExact(this.libc.callState(), fd, F_SETFL, O_NONBLOCK);
		return (result < 0) ? result : 0;
	}

	/** @return a descriptor that becomes readable when the process exits (Linux 5.3+), or -1 */
	int pidfdOpen(int pid) throws Throwable {
		if (this.pidfdOpen != null) {
			return (int) this.pidfdOpen.invokeExact(this.libc.callState(), pid, 0);
		}
		return (int) this.syscall.invokeExact(this.libc.callState(), SYS_PIDFD_OPEN, pid, 0);
	}

	/**
	 * Reaps a child that exited, without waiting.
	 * @return its {@code waitpid} status, {@code -1} if it has not exited, or {@code -2 - errno} on an error
	 */
	int reap(int pid) throws Throwable {
		ByteBuffer status = this.status.get();
		while (true) {
			int result = (int) this.libc.waitpid.invokeExact(this.libc.callState(), pid, this.libc.address(status),
					WNOHANG);
			if (result == pid) {
				return status.getInt(0);
			}
			if (result == 0) {
				return -1;
			}
			int error = this.libc.errno();
			if (error != Libc.EINTR) {
				return -2 - error;
			}
		}
	}

	void close(int fd) {
		try {
			int ignored = (int) this.libc.close.invokeExact(fd);
		}
		catch (Throwable ex) {
			// nothing more to do
		}
	}

	private static boolean isX86() {
		String arch = System.getProperty("os.arch", "");
		return arch.equals("amd64") || arch.equals("x86_64");
	}

}
