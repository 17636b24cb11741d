package io.execra.internal.process;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * The few C library functions {@link PosixSpawn} calls, bound once when this class loads: through the Foreign
 * Function and Memory API on JDK 22 and later ({@link FfmLinkage}), or through JNA on older JDKs where JNA is on the
 * class path ({@link JnaLinkage}). The bound handles take plain {@code long} addresses and {@code int}s and are
 * invoked exactly.
 * <p>
 * Memory passed to C is a direct {@link ByteBuffer}, whose address {@link #address(ByteBuffer)} gives. Functions
 * that report errors through {@code errno} capture it into a per-thread buffer, read by {@link #errno()}.
 */
final class Libc {

	/** {@code O_RDONLY}. */
	static final int O_RDONLY = 0;

	/** {@code O_CLOEXEC} on Linux. */
	static final int O_CLOEXEC = 02000000;

	/** {@code EINTR}. */
	static final int EINTR = 4;

	/** {@code POSIX_SPAWN_SETSIGDEF} in glibc. */
	static final short POSIX_SPAWN_SETSIGDEF = 0x04;

	/** {@code POSIX_SPAWN_SETSIGMASK} in glibc. */
	static final short POSIX_SPAWN_SETSIGMASK = 0x08;

	/** {@code POSIX_SPAWN_SETSID} in glibc (2.26 and later). */
	static final short POSIX_SPAWN_SETSID = 0x80;

	/** Bytes reserved for a {@code posix_spawnattr_t} (336 on glibc x86_64 and aarch64). */
	static final int SPAWNATTR_SIZE = 512;

	/** Bytes reserved for a {@code posix_spawn_file_actions_t} (80 on glibc). */
	static final int FILE_ACTIONS_SIZE = 128;

	/** Bytes reserved for a {@code sigset_t} (128 on glibc). */
	static final int SIGSET_SIZE = 128;

	private static volatile @Nullable String unavailableReason;

	private static final @Nullable Libc INSTANCE = bind();

	/** How the functions were bound; {@link Epoll} binds its own through it. */
	final Linkage linkage;

	private final MethodHandle bufferAddress;

	private final int errnoOffset;

	private final ThreadLocal<ByteBuffer> callState;

	final MethodHandle posixSpawn;

	final MethodHandle spawnattrInit;

	final MethodHandle spawnattrSetflags;

	final MethodHandle spawnattrSetsigmask;

	final MethodHandle spawnattrSetsigdefault;

	final MethodHandle sigemptyset;

	final MethodHandle fileActionsInit;

	final MethodHandle fileActionsDestroy;

	final MethodHandle fileActionsAddopen;

	final MethodHandle fileActionsAdddup2;

	final MethodHandle fileActionsAddchdir;

	final MethodHandle fileActionsAddclosefrom;

	final MethodHandle pipe2;

	final MethodHandle close;

	final MethodHandle waitpid;

	final MethodHandle strerror;

	private Libc(Linkage binder) throws ReflectiveOperationException {
		this.linkage = binder;
		this.bufferAddress = binder.bufferAddress();
		this.errnoOffset = binder.errnoOffset();
		int callStateSize = binder.callStateSize();
		this.callState = ThreadLocal
			.withInitial(() -> ByteBuffer.allocateDirect(callStateSize).order(ByteOrder.nativeOrder()));
		this.posixSpawn = binder.bind("posix_spawn", false, int.class, long.class, long.class, long.class, long.class,
				long.class, long.class);
		this.spawnattrInit = binder.bind("posix_spawnattr_init", false, int.class, long.class);
		this.spawnattrSetflags = binder.bind("posix_spawnattr_setflags", false, int.class, long.class, short.class);
		this.spawnattrSetsigmask = binder.bind("posix_spawnattr_setsigmask", false, int.class, long.class, long.class);
		this.spawnattrSetsigdefault = binder.bind("posix_spawnattr_setsigdefault", false, int.class, long.class,
				long.class);
		this.sigemptyset = binder.bind("sigemptyset", false, int.class, long.class);
		this.fileActionsInit = binder.bind("posix_spawn_file_actions_init", false, int.class, long.class);
		this.fileActionsDestroy = binder.bind("posix_spawn_file_actions_destroy", false, int.class, long.class);
		this.fileActionsAddopen = binder.bind("posix_spawn_file_actions_addopen", false, int.class, long.class,
				int.class, long.class, int.class, int.class);
		this.fileActionsAdddup2 = binder.bind("posix_spawn_file_actions_adddup2", false, int.class, long.class,
				int.class, int.class);
		this.fileActionsAddchdir = binder.bind("posix_spawn_file_actions_addchdir_np", false, int.class, long.class,
				long.class);
		this.fileActionsAddclosefrom = binder.bind("posix_spawn_file_actions_addclosefrom_np", false, int.class,
				long.class, int.class);
		this.pipe2 = binder.bind("pipe2", true, int.class, long.class, int.class);
		this.close = binder.bind("close", false, int.class, int.class);
		this.waitpid = binder.bind("waitpid", true, int.class, int.class, long.class, int.class);
		this.strerror = binder.bind("__xpg_strerror_r", false, int.class, int.class, long.class, long.class);
	}

	/**
	 * The bound library, or {@code null} where it cannot be used: before JDK 22, off Linux, where native access is
	 * not enabled for execra (a JDK 22+ warning otherwise), or where the C library lacks a function (glibc older
	 * than 2.34); {@link #unavailableReason()} says which.
	 * @return the library or {@code null}
	 */
	static @Nullable Libc get() {
		return INSTANCE;
	}

	/**
	 * Why {@link #get()} is {@code null}.
	 * @return the reason, or {@code null} when the library is available
	 */
	static @Nullable String unavailableReason() {
		return unavailableReason;
	}

	/**
	 * The native address of a direct buffer's first byte.
	 * @param buffer a direct buffer, kept reachable by the caller while C uses the address
	 * @return the address
	 */
	long address(ByteBuffer buffer) {
		try {
			return (long) this.bufferAddress.invokeExact((Buffer) buffer);
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Cannot take the address of a direct buffer", ex);
		}
	}

	/**
	 * The buffer a capturing call of this thread writes {@code errno} into; pass it as the first argument.
	 * @return this thread's call-state buffer
	 */
	ByteBuffer callState() {
		return this.callState.get();
	}

	/**
	 * The {@code errno} the last capturing call on this thread left.
	 * @return the error number
	 */
	int errno() {
		return this.callState.get().getInt(this.errnoOffset);
	}

	/**
	 * The C library's text for an error number, as the JDK shows it ({@code No such file or directory}).
	 * @param error the error number
	 * @return the text
	 */
	String describe(int error) {
		ByteBuffer text = ByteBuffer.allocateDirect(256);
		try {
			int result = (int) this.strerror.invokeExact(error, address(text), 256L);
			if (result != 0) {
				return "Unknown error " + error;
			}
		}
		catch (Throwable ex) {
			return "Unknown error " + error;
		}
		int length = 0;
		while (length < 255 && text.get(length) != 0) {
			length++;
		}
		byte[] bytes = new byte[length];
		text.get(0, bytes);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static @Nullable Libc bind() {
		String reason = null;
		Libc libc = null;
		try {
			if (!System.getProperty("os.name", "").equals("Linux")) {
				reason = "posix_spawn with POSIX_SPAWN_SETSID is used on Linux only";
			}
			else if (Runtime.version().feature() >= 22) {
				if (nativeAccessEnabled()) {
					libc = new Libc(new FfmLinkage());
				}
				else {
					reason = "native access is not enabled (run with --enable-native-access=ALL-UNNAMED)";
				}
			}
			else if (jnaPresent()) {
				libc = new Libc(new JnaLinkage());
			}
			else {
				reason = "JDK " + Runtime.version().feature() + " has no Foreign Function and Memory API and JNA"
						+ " (net.java.dev.jna:jna) is not on the class path";
			}
		}
		catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
			reason = "the C library cannot be bound: " + ex;
		}
		unavailableReason = reason;
		return libc;
	}

	private static boolean nativeAccessEnabled() throws ReflectiveOperationException {
		Method enabled = Module.class.getMethod("isNativeAccessEnabled");
		return (boolean) enabled.invoke(Libc.class.getModule());
	}

	private static boolean jnaPresent() {
		try {
			Class.forName("com.sun.jna.Native", false, Libc.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	/** How C functions are bound: the JDK's Foreign Function and Memory API, or JNA. */
	interface Linkage {

		/**
		 * Binds a C function whose parameters and result are integers; addresses are passed as {@code long}, which
		 * is how the 64-bit Linux ABIs pass pointers.
		 * @param name the symbol
		 * @param capturesErrno whether the handle takes a call-state {@link ByteBuffer} first and fills in errno
		 * @param result the result type
		 * @param parameters the parameter types
		 * @return the handle, of exactly that type
		 * @throws ReflectiveOperationException if the function cannot be bound
		 */
		MethodHandle bind(String name, boolean capturesErrno, Class<?> result, Class<?>... parameters)
				throws ReflectiveOperationException;

		/**
		 * @return a handle of type {@code (Buffer)long} giving a direct buffer's address
		 */
		MethodHandle bufferAddress();

		/**
		 * @return where errno is in a call-state buffer
		 */
		int errnoOffset();

		/**
		 * @return the size of a call-state buffer
		 */
		int callStateSize();

	}

}
