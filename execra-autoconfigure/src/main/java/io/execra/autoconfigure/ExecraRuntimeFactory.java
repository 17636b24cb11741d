package io.execra.autoconfigure;

import io.execra.CommandTemplate;
import io.execra.ExecraListener;
import io.execra.ExecraRuntime;
import io.execra.ExecraRuntimeBuilder;
import io.execra.store.InMemoryJobStore;
import io.execra.store.JobStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;

/**
 * Builds the default runtime and the named runtimes: their properties, the {@link JobStore} and
 * {@link ExecraListener} beans, their presets, virtual threads, then the {@link ExecraRuntimeCustomizer} beans.
 */
final class ExecraRuntimeFactory {

	private final ExecraProperties properties;

	private final Binder binder;

	private final boolean virtualThreads;

	private final boolean closedBySpringAtJvmExit;

	private final ExecraPresets presets;

	private final ObjectProvider<JobStore> store;

	private final ObjectProvider<ExecraListener> listeners;

	private final ObjectProvider<ExecraRuntimeCustomizer> customizers;

	private final ObjectProvider<ExecraEventBridge> eventBridge;

	ExecraRuntimeFactory(ExecraProperties properties, Environment environment, ExecraInterpreterResolver interpreters,
			ObjectProvider<JobStore> store, ObjectProvider<ExecraListener> listeners,
			ObjectProvider<ExecraRuntimeCustomizer> customizers, ObjectProvider<ExecraEventBridge> eventBridge) {
		this.properties = properties;
		this.binder = Binder.get(environment);
		this.virtualThreads = Threading.VIRTUAL.isActive(environment);
		this.closedBySpringAtJvmExit = this.binder.bind("spring.main.register-shutdown-hook", Boolean.class)
			.orElse(true);
		this.presets = new ExecraPresets(properties.getCommands(), properties.getRuntimes().keySet(), interpreters);
		this.store = store;
		this.listeners = listeners;
		this.customizers = customizers;
		this.eventBridge = eventBridge;
	}

	/**
	 * Builds a runtime.
	 * @param name {@link ExecraProperties#DEFAULT_RUNTIME_NAME} or a name under {@code execra.runtimes}
	 * @return the runtime
	 * @throws InvalidExecraPropertyException naming the first bad property
	 */
	ExecraRuntime create(String name) {
		boolean isDefault = ExecraProperties.DEFAULT_RUNTIME_NAME.equals(name);
		String prefix = isDefault ? "execra" : "execra.runtimes." + name;
		ExecraRuntimeProperties runtimeProperties = isDefault ? this.properties : namedRuntimeProperties(name);
		ExecraRuntimeBuilder builder = ExecraRuntime.builder();
		new ExecraRuntimeSettingsMapper(prefix).map(runtimeProperties, builder);
		String nodeId = runtimeProperties.getNodeId();
		if (nodeId != null) {
			builder.nodeId(isDefault || ownNodeId(name) ? nodeId : nodeId + "-" + name);
		}
		builder.store(this.store.getIfAvailable(InMemoryJobStore::new));
		this.listeners.orderedStream().forEach(builder::listener);
		for (CommandTemplate preset : this.presets.forRuntime(name)) {
			builder.preset(preset);
		}
		builder.virtualThreads(this.virtualThreads);
		// Spring's own JVM hook closes the context, whose lifecycle drains the runtime: execra's killing hook would
		// run beside it and kill the jobs being drained
		builder.shutdownHook(!this.closedBySpringAtJvmExit);
		this.customizers.orderedStream().forEach((customizer) -> customizer.customize(name, builder));
		ExecraRuntime runtime;
		try {
			runtime = builder.build();
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidExecraPropertyException(prefix, null, ex.getMessage(), ex);
		}
		ExecraEventBridge bridge = this.eventBridge.getIfAvailable();
		if (bridge != null) {
			bridge.attach(name, runtime);
		}
		return runtime;
	}

	private ExecraRuntimeProperties namedRuntimeProperties(String name) {
		// the top-level settings, then the named runtime's own on top of them
		ExecraRuntimeProperties merged = new ExecraRuntimeProperties();
		this.binder.bind("execra", Bindable.ofInstance(merged));
		this.binder.bind("execra.runtimes." + name, Bindable.ofInstance(merged));
		return merged;
	}

	private boolean ownNodeId(String name) {
		return this.binder.bind("execra.runtimes." + name + ".node-id", String.class).isBound();
	}

}
