package io.execra.internal.process;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Binds C functions through the Foreign Function and Memory API of JDK 22 and later. execra is compiled for Java 17,
 * so the API is reached reflectively, once; the handles it returns are invoked exactly, without reflection per
 * call.
 */
final class FfmLinkage implements Libc.Linkage {

	private final Object linker;

	private final Object lookup;

	private final Method find;

	private final Method downcallHandle;

	private final Method functionDescriptorOf;

	private final Class<?> memoryLayout;

	private final Class<?> option;

	private final Object captureErrno;

	private final MethodHandle segmentOfBuffer;

	private final MethodHandle bufferAddress;

	private final int errnoOffset;

	private final int callStateSize;

	private final Object intLayout;

	private final Object longLayout;

	private final Object shortLayout;

	FfmLinkage() throws ReflectiveOperationException {
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
		Object path = Array.newInstance(pathElement, 1);
		Array.set(path, 0, errnoElement);
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

	@Override
	public MethodHandle bind(String name, boolean capturesErrno, Class<?> result, Class<?>... parameters)
			throws ReflectiveOperationException {
		Optional<?> symbol = (Optional<?>) this.find.invoke(this.lookup, name);
		if (symbol.isEmpty()) {
			throw new NoSuchMethodException("C library function " + name);
		}
		Object layouts = Array.newInstance(this.memoryLayout, parameters.length);
		for (int i = 0; i < parameters.length; i++) {
			Array.set(layouts, i, layout(parameters[i]));
		}
		Object function = this.functionDescriptorOf.invoke(null, layout(result), layouts);
		Object options = Array.newInstance(this.option, capturesErrno ? 1 : 0);
		if (capturesErrno) {
			Array.set(options, 0, this.captureErrno);
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

	@Override
	public MethodHandle bufferAddress() {
		return this.bufferAddress;
	}

	@Override
	public int errnoOffset() {
		return this.errnoOffset;
	}

	@Override
	public int callStateSize() {
		return this.callStateSize;
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
