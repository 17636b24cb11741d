package io.execra.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Configuration properties for execra: the settings of the default runtime at {@code execra.*}, named runtimes,
 * command presets, rule interpreters, the publication of events, and cluster mode with its cluster-wide limits.
 */
@ConfigurationProperties("execra")
public class ExecraProperties extends ExecraRuntimeProperties {

	/**
	 * Name under which customizers see the default runtime; not allowed as the name of a named runtime.
	 */
	public static final String DEFAULT_RUNTIME_NAME = "default";

	/**
	 * Whether to enable execra's auto-configuration: the runtimes, the job store, events, Actuator, meters and
	 * retention. When false, execra creates no bean at all.
	 */
	private boolean enabled = true;

	/**
	 * Named runtimes, each registered as a bean qualified with its name. A named runtime inherits every setting it
	 * does not set from "execra.*".
	 */
	private final Map<String, ExecraRuntimeProperties> runtimes = new LinkedHashMap<>();

	/**
	 * Command presets by name, spawned with runtime.spawn(name, parameters).
	 */
	private final Map<String, ExecraCommandProperties> commands = new LinkedHashMap<>();

	/**
	 * Rule interpreters by name, for presets to refer to. A name given here takes precedence over a built-in
	 * interpreter of the same name.
	 */
	private final Map<String, ExecraInterpreterProperties> interpreters = new LinkedHashMap<>();

	private final Events events = new Events();

	@NestedConfigurationProperty
	private final ExecraClusterProperties cluster = new ExecraClusterProperties();

	/**
	 * Cluster-wide concurrency limits (cluster mode only), by group: a group is a preset name or a tag, and a job
	 * belongs to its preset's group and to each of its tags' groups. However many nodes claim at once, the jobs of a
	 * group running on all nodes together never exceed its max-concurrent.
	 */
	private final Map<String, Limit> limits = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Map<String, ExecraRuntimeProperties> getRuntimes() {
		return this.runtimes;
	}

	public Map<String, ExecraCommandProperties> getCommands() {
		return this.commands;
	}

	public Map<String, ExecraInterpreterProperties> getInterpreters() {
		return this.interpreters;
	}

	public Events getEvents() {
		return this.events;
	}

	public ExecraClusterProperties getCluster() {
		return this.cluster;
	}

	public Map<String, Limit> getLimits() {
		return this.limits;
	}

	/**
	 * A cluster-wide concurrency limit of one group.
	 */
	public static class Limit {

		/**
		 * Maximum number of jobs of the group running at once on all nodes together, at least 1.
		 */
		private @Nullable Integer maxConcurrent;

		public @Nullable Integer getMaxConcurrent() {
			return this.maxConcurrent;
		}

		public void setMaxConcurrent(@Nullable Integer maxConcurrent) {
			this.maxConcurrent = maxConcurrent;
		}

	}

	/**
	 * Publication of execra events as Spring application events.
	 */
	public static class Events {

		/**
		 * Whether to publish every execra event as an application event.
		 */
		private boolean publish = true;

		/**
		 * Whether to publish output line events too. Without them, lines are never queued for the bridge nor decoded.
		 */
		private boolean includeOutput = true;

		public boolean isPublish() {
			return this.publish;
		}

		public void setPublish(boolean publish) {
			this.publish = publish;
		}

		public boolean isIncludeOutput() {
			return this.includeOutput;
		}

		public void setIncludeOutput(boolean includeOutput) {
			this.includeOutput = includeOutput;
		}

	}

}
