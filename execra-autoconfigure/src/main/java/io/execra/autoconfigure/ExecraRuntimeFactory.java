package io.execra.autoconfigure;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import io.execra.ExecraRuntime;
import io.execra.ExecraRuntimeBuilder;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Builds the default runtime and the named runtimes from builders the {@link ExecraRuntimeBuilderConfigurer}
 * configured, and hands them to the {@link ExecraEventBridge}.
 */
final class ExecraRuntimeFactory {

	private final ExecraRuntimeBuilderConfigurer configurer;

	private final ObjectProvider<ExecraEventBridge> eventBridge;

	private final Set<ExecraRuntime> created = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

	ExecraRuntimeFactory(ExecraRuntimeBuilderConfigurer configurer, ObjectProvider<ExecraEventBridge> eventBridge) {
		this.configurer = configurer;
		this.eventBridge = eventBridge;
	}

	/**
	 * Builds a runtime.
	 * @param name {@link ExecraProperties#DEFAULT_RUNTIME_NAME} or a name under {@code execra.runtimes}
	 * @return the runtime
	 * @throws InvalidExecraPropertyException naming the first bad property
	 */
	ExecraRuntime create(String name) {
		ExecraRuntimeBuilder builder = this.configurer.configure(name, ExecraRuntime.builder());
		ExecraRuntime runtime;
		try {
			runtime = builder.build();
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidExecraPropertyException(ExecraRuntimeBuilderConfigurer.prefix(name), null,
					ex.getMessage(), ex);
		}
		this.created.add(runtime);
		ExecraEventBridge bridge = this.eventBridge.getIfAvailable();
		if (bridge != null) {
			bridge.attach(name, runtime);
		}
		return runtime;
	}

	/**
	 * Whether this factory built a runtime.
	 * @param runtime the runtime
	 * @return whether it is the default or a named runtime
	 */
	boolean created(ExecraRuntime runtime) {
		return this.created.contains(runtime);
	}

}
