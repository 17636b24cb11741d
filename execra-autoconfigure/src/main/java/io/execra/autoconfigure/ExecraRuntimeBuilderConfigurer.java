package io.execra.autoconfigure;

import java.util.function.Supplier;

import io.execra.CommandTemplate;
import io.execra.ExecraListener;
import io.execra.ExecraRuntimeBuilder;
import io.execra.SecurityPolicy;
import io.execra.cluster.ClusterStore;
import io.execra.store.InMemoryJobStore;
import io.execra.store.JobStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;

/**
 * Configures an {@link ExecraRuntimeBuilder} with everything the auto-configuration gives a runtime: the
 * {@code execra.*} settings with the security policy, the {@link JobStore} bean, every {@link ExecraListener} bean,
 * the presets, virtual threads, cluster mode with the {@link ClusterStore} bean (default runtime only), and then the
 * {@link ExecraRuntimeCustomizer} beans (which add the meters and observations). The default runtime, the named
 * runtimes and the prototype {@link ExecraRuntimeBuilder} bean are all configured here, so a runtime built from that
 * bean cannot differ from the auto-configured one.
 */
public final class ExecraRuntimeBuilderConfigurer {

	private final ExecraProperties properties;

	private final Binder binder;

	private final boolean virtualThreads;

	private final boolean closedBySpringAtJvmExit;

	private final ExecraPresets presets;

	private final ObjectProvider<JobStore> store;

	private final ExecraClusterSettingsMapper cluster;

	private final ObjectProvider<ClusterStore> clusterStore;

	private final Supplier<String> clusterNodeId;

	private final ObjectProvider<ExecraListener> listeners;

	private final ObjectProvider<ExecraRuntimeCustomizer> customizers;

	ExecraRuntimeBuilderConfigurer(ExecraProperties properties, Environment environment,
			ExecraInterpreterResolver interpreters, ObjectProvider<JobStore> store,
			ObjectProvider<ClusterStore> clusterStore, Supplier<String> clusterNodeId,
			ObjectProvider<ExecraListener> listeners, ObjectProvider<ExecraRuntimeCustomizer> customizers) {
		this.properties = properties;
		this.binder = Binder.get(environment);
		this.virtualThreads = Threading.VIRTUAL.isActive(environment);
		this.closedBySpringAtJvmExit = this.binder.bind("spring.main.register-shutdown-hook", Boolean.class)
			.orElse(true);
		this.presets = new ExecraPresets(properties.getCommands(), properties.getRuntimes().keySet(), interpreters);
		this.store = store;
		this.cluster = new ExecraClusterSettingsMapper(properties);
		this.clusterStore = clusterStore;
		this.clusterNodeId = clusterNodeId;
		this.listeners = listeners;
		this.customizers = customizers;
	}

	/**
	 * Configures a builder as the default runtime: the settings at {@code execra.*}, its presets, the store,
	 * listener and customizer beans.
	 * @param builder the builder
	 * @return the builder
	 * @throws InvalidExecraPropertyException naming the first bad property
	 */
	public ExecraRuntimeBuilder configure(ExecraRuntimeBuilder builder) {
		return configure(ExecraProperties.DEFAULT_RUNTIME_NAME, builder);
	}

	/**
	 * Configures a builder as a runtime.
	 * @param name {@link ExecraProperties#DEFAULT_RUNTIME_NAME} or a name under {@code execra.runtimes}
	 * @param builder the builder
	 * @return the builder
	 * @throws InvalidExecraPropertyException naming the first bad property
	 */
	ExecraRuntimeBuilder configure(String name, ExecraRuntimeBuilder builder) {
		boolean isDefault = ExecraProperties.DEFAULT_RUNTIME_NAME.equals(name);
		ExecraRuntimeProperties runtimeProperties = isDefault ? this.properties : namedRuntimeProperties(name);
		ExecraRuntimeSettingsMapper mapper = new ExecraRuntimeSettingsMapper(prefix(name));
		mapper.map(runtimeProperties, builder);
		String nodeId = runtimeProperties.getNodeId();
		if (nodeId != null) {
			builder.nodeId(isDefault || ownNodeId(name) ? nodeId : nodeId + "-" + name);
		}
		JobStore jobStore = this.store.getIfAvailable(InMemoryJobStore::new);
		builder.store(jobStore);
		if (isDefault && this.cluster.enabled()) {
			// only the default runtime is a node: a named runtime keeps its jobs to its own instance
			if (nodeId == null) {
				builder.nodeId(this.clusterNodeId.get());
			}
			builder.cluster(this.cluster.settings(this.clusterStore.getIfAvailable(), jobStore));
		}
		mapper.check(runtimeProperties, builder);
		this.listeners.orderedStream().forEach(builder::listener);
		for (CommandTemplate preset : this.presets.forRuntime(name)) {
			builder.preset(preset);
		}
		builder.virtualThreads(this.virtualThreads);
		// Spring's own JVM hook closes the context, whose lifecycle drains the runtime: execra's killing hook would
		// run beside it and kill the jobs being drained
		builder.shutdownHook(!this.closedBySpringAtJvmExit);
		this.customizers.orderedStream().forEach((customizer) -> customizer.customize(name, builder));
		return builder;
	}

	/**
	 * The security policy {@code execra.security.*} describes for the default runtime.
	 * @return the policy
	 */
	SecurityPolicy securityPolicy() {
		return new ExecraRuntimeSettingsMapper(prefix(ExecraProperties.DEFAULT_RUNTIME_NAME))
			.securityPolicy(this.properties.getSecurity());
	}

	/**
	 * The prefix of a runtime's properties.
	 * @param name the runtime's name
	 * @return {@code execra} or {@code execra.runtimes.<name>}
	 */
	static String prefix(String name) {
		return ExecraProperties.DEFAULT_RUNTIME_NAME.equals(name) ? "execra" : "execra.runtimes." + name;
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
