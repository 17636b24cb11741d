package io.execra.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The few C library functions {@link PosixSpawn} calls, bound through the Foreign Function and Memory API of JDK
 * 22 and later. execra is compiled for Java 17, so the API is reached reflectively, once, when this class loads;
 * the bound handles take plain {@code long} addresses and {@code int}s and are invoked exactly, without reflection
 * per call.
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

	private final MethodHandle bufferAddress;

	private final int errnoOffset;

	private final ThreadLocal<ByteBuffer> callState;

	final MethodHandle posixSpawn;

	final MethodHandle spawnattrInit;

	final MethodHandle spawnattrDestroy;

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

	private Libc(Binder binder) throws ReflectiveOperationException {
		this.bufferAddress = binder.bufferAddress;
		this.errnoOffset = binder.errnoOffset;
		int callStateSize = binder.callStateSize;
		this.callState = ThreadLocal
			.withInitial(() -> ByteBuffer.allocateDirect(callStateSize).order(ByteOrder.nativeOrder()));
		this.posixSpawn = binder.bind("posix_spawn", false, int.class, long.class, long.class, long.class, long.class,
				long.class, long.class);
		this.spawnattrInit = binder.bind("posix_spawnattr_init", false, int.class, long.class);
		this.spawnattrDestroy = binder.bind("posix_spawnattr_destroy", false, int.class, long.class);
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
		if (Runtime.version().feature() < 22) {
			reason = "the Foreign Function and Memory API needs JDK 22 or later";
		}
		else if (!System.getProperty("os.name", "").equals("Linux")) {
			reason = "posix_spawn with POSIX_SPAWN_SETSID is used on Linux only";
		}
		else {
			try {
				if (!nativeAccessEnabled()) {
					reason = "native access is not enabled (run with --enable-native-access=ALL-UNNAMED)";
				}
				else {
					libc = new Libc(new Binder());
				}
			}
			catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
				reason = "the C library cannot be bound: " + ex;
			}
		}
		unavailableReason = reason;
		return libc;
	}

	private static boolean nativeAccessEnabled() throws ReflectiveOperationException {
		Method enabled = Module.class.getMethod("isNativeAccessEnabled");
		return (boolean) enabled.invoke(Libc.class.getModule());
	}

	/** Reaches {@code java.lang.foreign} reflectively to bind C functions. */
	private static final class Binder {

		private final Object linker;

		private final Object lookup;

		private final Method find;

		private final Method downcallHandle;

		private final Method functionDescriptorOf;

		private final Class<?> memoryLayout;

		private final Class<?> option;

		private final Object captureErrno;

		private final MethodHandle segmentOfBuffer;

		final MethodHandle bufferAddress;

		final int errnoOffset;

		final int callStateSize;

		private final Object intLayout;

		private final Object longLayout;

		private final Object shortLayout;

		Binder() throws ReflectiveOperationException {
			Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
			Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
			Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
			Class<?> descriptor = Class.forName("java.lang.foreign.FunctionDescriptor");
			Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
			Class<?> pathElement = Class.forName("java.lang.foreign.MemoryLayout$PathElement");
			this.memoryLayout = Class.forName("java.lang.foreign.MemoryLayout");
			this.option = Class.forName("java.lang.foreign.Linker$Option");
			this.linker = linkerClass.getMethod("nativeLinker").invoke(null);
			this.lookup = linkerClass.getMethod("defaultLookup").invoke(this.linker);
			this.find = lookupClass.getMethod("find", String.class);
			this.downcallHandle = linkerClass.getMethod("downcallHandle", segment, descriptor,
					this.option.arrayType());
			this.functionDescriptorOf = descriptor.getMethod("of", this.memoryLayout, this.memoryLayout.arrayType());
			this.intLayout = valueLayout.getField("JAVA_INT").get(null);
			this.longLayout = valueLayout.getField("JAVA_LONG").get(null);
			this.shortLayout = valueLayout.getField("JAVA_SHORT").get(null);
			this.captureErrno = this.option.getMethod("captureCallState", String[].class)
				.invoke(null, (Object) new String[] { "errno" });
			Object stateLayout = this.option.getMethod("captureStateLayout").invoke(null);
			Object errnoElement = pathElement.getMethod("groupElement", String.class).invoke(null, "errno");
			Object path = java.lang.reflect.Array.newInstance(pathElement, 1);
			java.lang.reflect.Array.set(path, 0, errnoElement);
			this.errnoOffset = Math.toIntExact(
					(long) this.memoryLayout.getMethod("byteOffset", pathElement.arrayType()).invoke(stateLayout, path));
			this.callStateSize = Math.toIntExact((long) this.memoryLayout.getMethod("byteSize").invoke(stateLayout));
			MethodHandles.Lookup publicLookup = MethodHandles.publicLookup();
			this.segmentOfBuffer = publicLookup.findStatic(segment, "ofBuffer", MethodType.methodType(segment,
					Buffer.class));
			MethodHandle address = publicLookup.findVirtual(segment, "address", MethodType.methodType(long.class));
			this.bufferAddress = MethodHandles.filterReturnValue(this.segmentOfBuffer, address)
				.asType(MethodType.methodType(long.class, Buffer.class));
		}

		/**
		 * Binds a C function whose parameters and result are integers; addresses are passed as {@code long}, which
		 * is how the 64-bit Linux ABIs pass pointers.
		 * @param name the symbol
		 * @param capturesErrno whether the handle takes a call-state {@link ByteBuffer} first and fills in errno
		 * @param result the result type
		 * @param parameters the parameter types
		 * @return the handle
		 */
		MethodHandle bind(String name, boolean capturesErrno, Class<?> result, Class<?>... parameters)
				throws ReflectiveOperationException {
			Optional<?> symbol = (Optional<?>) this.find.invoke(this.lookup, name);
			if (symbol.isEmpty()) {
				throw new NoSuchMethodException("C library function " + name);
			}
			Object layouts = java.lang.reflect.Array.newInstance(this.memoryLayout, parameters.length);
			for (int i = 0; i < parameters.length; i++) {
				java.lang.reflect.Array.set(layouts, i, layout(parameters[i]));
			}
			Object function = this.functionDescriptorOf.invoke(null, layout(result), layouts);
			Object options = java.lang.reflect.Array.newInstance(this.option, capturesErrno ? 1 : 0);
			if (capturesErrno) {
				java.lang.reflect.Array.set(options, 0, this.captureErrno);
			}
			MethodHandle handle = (MethodHandle) this.downcallHandle.invoke(this.linker, symbol.get(), function,
					options);
			if (!capturesErrno) {
				return handle;
			}
			// the call-state segment comes first; take it as a direct ByteBuffer
			handle = MethodHandles.filterArguments(handle, 0, this.segmentOfBuffer);
			return handle.asType(handle.type().changeParameterType(0, ByteBuffer.class));
		}

		private Object layout(Class<?> type) {
			if (type == int.class) {
				return this.intLayout;
			}
			if (type == long.class) {
				return this.longLayout;
			}
			if (type == short.class) {
				return this.shortLayout;
			}
			throw new IllegalArgumentException("Unsupported C type " + type);
		}

	}

}
