package io.execra.internal.process;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.Buffer;
import java.nio.ByteBuffer;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * Binds C functions through JNA, for JDKs without the Foreign Function and Memory API (17 to 21) when JNA is on the
 * class path (the starter brings it; execra-core declares it optional). The functions execra knows are
 * direct-mapped ({@link JnaDirect}); any other, or one whose direct mapping fails, goes through
 * {@code Function.invokeInt}, which boxes the arguments per call. JNA keeps {@code errno} per thread after every
 * call, either way.
 */
final class JnaLinkage implements Libc.Linkage {

	private static final MethodHandle INVOKE;

	private static final MethodHandle INVOKE_CAPTURING;

	private static final MethodHandle ADDRESS;

	private static final MethodHandle STORE_ERRNO;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			INVOKE = lookup.findStatic(JnaLinkage.class, "invoke",
					MethodType.methodType(int.class, Function.class, Object[].class));
			INVOKE_CAPTURING = lookup.findStatic(JnaLinkage.class, "invokeCapturing",
					MethodType.methodType(int.class, Function.class, ByteBuffer.class, Object[].class));
			ADDRESS = lookup.findStatic(JnaLinkage.class, "address", MethodType.methodType(long.class, Buffer.class));
			STORE_ERRNO = lookup.findStatic(JnaLinkage.class, "storeErrno",
					MethodType.methodType(int.class, int.class, ByteBuffer.class));
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final NativeLibrary c = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);

	@Override
	public MethodHandle bind(String name, boolean capturesErrno, Class<?> result, Class<?>... parameters)
			throws ReflectiveOperationException {
		if (result != int.class) {
			throw new IllegalArgumentException("Unsupported C result type " + result);
		}
		MethodType type = MethodType.methodType(int.class, parameters);
		MethodHandle direct = JnaDirect.find(this.c, name, type);
		if (direct != null) {
			return capturesErrno ? capturingErrno(direct, parameters.length) : direct;
		}
		Function function;
		try {
			function = this.c.getFunction(name);
		}
		catch (UnsatisfiedLinkError ex) {
			throw new NoSuchMethodException("C library function " + name + ": " + ex.getMessage());
		}
		if (capturesErrno) {
			return INVOKE_CAPTURING.bindTo(function)
				.asCollector(Object[].class, parameters.length)
				.asType(type.insertParameterTypes(0, ByteBuffer.class));
		}
		return INVOKE.bindTo(function).asCollector(Object[].class, parameters.length).asType(type);
	}

	/** {@code (ByteBuffer state, args...)int}: calls {@code direct}, then stores errno in the state. */
	private static MethodHandle capturingErrno(MethodHandle direct, int arity) {
		MethodHandle storing = MethodHandles.collectArguments(STORE_ERRNO, 0, direct);
		int[] order = new int[arity + 1];
		for (int i = 0; i < arity; i++) {
			order[i] = i + 1;
		}
		return MethodHandles.permuteArguments(storing, direct.type().insertParameterTypes(0, ByteBuffer.class), order);
	}

	private static int storeErrno(int result, ByteBuffer state) {
		state.putInt(0, Native.getLastError());
		return result;
	}

	@Override
	public MethodHandle bufferAddress() {
		return ADDRESS;
	}

	@Override
	public int errnoOffset() {
		return 0;
	}

	@Override
	public int callStateSize() {
		return 4;
	}

	private static int invoke(Function function, Object[] arguments) {
		return function.invokeInt(arguments);
	}

	private static int invokeCapturing(Function function, ByteBuffer state, Object[] arguments) {
		int result = function.invokeInt(arguments);
		state.putInt(0, Native.getLastError());
		return result;
	}

	private static long address(Buffer buffer) {
		return Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
	}

}
