package io.execra;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.execra.cluster.ClusterSettings;
import io.execra.store.JobStore;
import org.jspecify.annotations.Nullable;

/**
 * The read-only settings of a runtime, as built by {@link ExecraRuntimeBuilder}, grouped as the {@code execra.*}
 * properties are. The defaults are the constants of this class. Each record checks its own values in its
 * constructor and fails with an {@link InvalidSettingException} naming the setting by its group and name in one word
 * ({@code replayMaxEvents}, {@code storeWriteTimeout}), so that a configuration layer can report the property of that
 * name; the checks that span groups are this record's.
 *
 * @param maxConcurrent jobs that may run at once
 * @param queueCapacity jobs that may wait for a permit; more are rejected
 * @param defaultTimeout timeout of commands that set none, or {@code null} for none
 * @param maxTimeout upper bound for any command's timeout (longer ones are shortened to it), or {@code null}
 * @param cancelGracePeriod time from TERM to KILL when a job is cancelled
 * @param drainGracePeriod how long output pipes may stay open after the process exited (a grandchild holding
 * them) before the job is finalized anyway
 * @param partialLineTimeout how long an unterminated line may wait for its end before it is published as a split
 * line, so that a prompt printed without a newline reaches interpreters; zero waits for the end
 * @param maxLineLength bytes (UTF-8) per output line, at least 16; longer lines are split into several flagged
 * events, never inside a character
 * @param replay bounds of each job's replay window
 * @param retainedOutput output lines kept in memory per job for {@code output(...)}
 * @param rawOutput whether, and where, output is also written to one log file per job
 * @param outputLimit output allowed per job and what happens past it
 * @param outputTailBytes bytes of the last output kept on the finalized job's snapshot
 * @param maxInMemoryJobs finalized jobs kept in memory (oldest evicted first); the store keeps them after that
 * @param subscriberBufferSize events an all-jobs subscriber may fall behind before it lags
 * @param subscriberBufferMaxBytes bytes (approximate, of event text, as in the replay window) an all-jobs subscriber
 * may fall behind before it lags
 * @param stdin bounds of what waits in a job's stdin pipe
 * @param store where job history is kept
 * @param storeWrites how job history is written to the store
 * @param heartbeatInterval how often this node's heartbeat is written to the store
 * @param staleNodeTimeout other nodes silent this long have their active jobs finalized as host-exited
 * @param nodeId this application instance's id in the store
 * @param clock the clock for timestamps
 * @param securityPolicy what may run and what is redacted
 * @param presets named command templates
 * @param listeners callbacks for metrics and logging
 * @param virtualThreads whether event delivery to {@code Flow.Subscriber}s uses virtual threads where the JDK has
 * them (21+); job threads are always platform threads
 * @param cluster how this runtime takes part in a cluster of runtimes on one shared store, or {@code null} when it
 * runs alone; cluster mode needs a {@linkplain JobStore#isShared() shared} store
 * @param pump how processes' output is read: an event loop for all jobs, or threads per job
 */
public record ExecraSettings(int maxConcurrent, int queueCapacity, @Nullable Duration defaultTimeout,
		@Nullable Duration maxTimeout, Duration cancelGracePeriod, Duration drainGracePeriod,
		Duration partialLineTimeout, int maxLineLength, Replay replay, RetainedOutput retainedOutput,
		RawOutput rawOutput, OutputLimit outputLimit, int outputTailBytes, int maxInMemoryJobs,
		int subscriberBufferSize, long subscriberBufferMaxBytes, StdinLimits stdin, JobStore store,
		StoreWrites storeWrites, Duration heartbeatInterval, Duration staleNodeTimeout, String nodeId, Clock clock,
		SecurityPolicy securityPolicy, Map<String, CommandTemplate> presets, List<ExecraListener> listeners,
		boolean virtualThreads, @Nullable ClusterSettings cluster, Pump pump) {

	/** Default {@code queueCapacity}. */
	public static final int DEFAULT_QUEUE_CAPACITY = 1000;

	/** Default {@code cancelGracePeriod}. */
	public static final Duration DEFAULT_CANCEL_GRACE_PERIOD = Duration.ofSeconds(5);

	/** Default {@code drainGracePeriod}. */
	public static final Duration DEFAULT_DRAIN_GRACE_PERIOD = Duration.ofSeconds(2);

	/** Default {@code replay().maxEvents()}. */
	public static final int DEFAULT_REPLAY_MAX_EVENTS = 4096;

	/** Default {@code replay().maxBytes()}: 1 MiB. */
	public static final long DEFAULT_REPLAY_MAX_BYTES = 1024 * 1024;

	/** Default {@code partialLineTimeout}. */
	public static final Duration DEFAULT_PARTIAL_LINE_TIMEOUT = Duration.ofMillis(250);

	/** Default {@code maxLineLength}: 64 KiB. */
	public static final int DEFAULT_MAX_LINE_LENGTH = 64 * 1024;

	/** Default {@code retainedOutput().maxBytes()}: 1 MiB. */
	public static final long DEFAULT_RETAINED_OUTPUT_BYTES = 1024 * 1024;

	/** Default {@code retainedOutput().maxLines()}. */
	public static final int DEFAULT_RETAINED_OUTPUT_LINES = 10_000;

	/** Default {@code outputTailBytes}: 4 KiB. */
	public static final int DEFAULT_OUTPUT_TAIL_BYTES = 4096;

	/** Default {@code maxInMemoryJobs}. */
	public static final int DEFAULT_MAX_IN_MEMORY_JOBS = 1000;

	/** Default {@code subscriberBufferSize}. */
	public static final int DEFAULT_SUBSCRIBER_BUFFER_SIZE = 16_384;

	/** Default {@code subscriberBufferMaxBytes}: 16 MiB. */
	public static final long DEFAULT_SUBSCRIBER_BUFFER_BYTES = 16 * 1024 * 1024;

	/** Default {@code stdin().bufferBytes()}: 1 MiB. */
	public static final long DEFAULT_STDIN_BUFFER_BYTES = 1024 * 1024;

	/** Default {@code stdin().writeTimeout()}. */
	public static final Duration DEFAULT_STDIN_WRITE_TIMEOUT = Duration.ofSeconds(30);

	/** Default {@code storeWrites().bufferCapacity()}. */
	public static final int DEFAULT_STORE_BUFFER_CAPACITY = 100_000;

	/** Default {@code storeWrites().writeTimeout()}. */
	public static final Duration DEFAULT_STORE_WRITE_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * Upper bound of {@code cancelGracePeriod}, {@code drainGracePeriod}, {@code partialLineTimeout},
	 * {@code storeWriteTimeout}, {@code heartbeatInterval} and {@code staleNodeTimeout}: one day. Longer values are
	 * rejected; they are mistakes (a job that may never be killed, a heartbeat that never beats), not wishes.
	 * Timeouts have no upper bound: one longer than about 292 years means none.
	 */
	public static final Duration MAX_PERIOD = Duration.ofDays(1);

	/** Default {@code heartbeatInterval}. */
	public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(15);

	/** Default {@code staleNodeTimeout}. */
	public static final Duration DEFAULT_STALE_NODE_TIMEOUT = Duration.ofMinutes(1);

	/**
	 * Default {@code maxConcurrent}: the number of processors.
	 * @return the default
	 */
	public static int defaultMaxConcurrent() {
		return Math.max(1, Runtime.getRuntime().availableProcessors());
	}

	public ExecraSettings {
		SettingChecks.atLeast(maxConcurrent, 1, "maxConcurrent");
		SettingChecks.atLeast(queueCapacity, 0, "queueCapacity");
		if (defaultTimeout != null) {
			SettingChecks.positive(defaultTimeout, "defaultTimeout");
		}
		if (maxTimeout != null) {
			SettingChecks.positive(maxTimeout, "maxTimeout");
		}
		SettingChecks.period(cancelGracePeriod, "cancelGracePeriod");
		SettingChecks.period(drainGracePeriod, "drainGracePeriod");
		SettingChecks.period(partialLineTimeout, "partialLineTimeout");
		SettingChecks.atLeast(maxLineLength, 16, "maxLineLength");
		SettingChecks.notNull(replay, "replay");
		SettingChecks.notNull(retainedOutput, "retainedOutput");
		SettingChecks.notNull(rawOutput, "rawOutput");
		SettingChecks.notNull(outputLimit, "outputLimit");
		if (outputLimit.strategy() == OutputLimitStrategy.SPILL_TO_FILE && outputLimit.maxBytes() > 0
				&& rawOutput.directory() == null) {
			throw new InvalidSettingException("rawOutputDirectory", null,
					"is required when 'outputLimitStrategy' is SPILL_TO_FILE");
		}
		SettingChecks.atLeast(outputTailBytes, 0, "outputTailBytes");
		SettingChecks.atLeast(maxInMemoryJobs, 1, "maxInMemoryJobs");
		SettingChecks.atLeast(subscriberBufferSize, 1, "subscriberBufferSize");
		SettingChecks.positive(subscriberBufferMaxBytes, "subscriberBufferMaxBytes");
		SettingChecks.notNull(stdin, "stdin");
		SettingChecks.notNull(store, "store");
		SettingChecks.notNull(storeWrites, "storeWrites");
		SettingChecks.positivePeriod(heartbeatInterval, "heartbeatInterval");
		SettingChecks.positivePeriod(staleNodeTimeout, "staleNodeTimeout");
		if (nodeId == null || nodeId.isEmpty()) {
			throw new InvalidSettingException("nodeId", null, "must not be empty");
		}
		SettingChecks.notNull(clock, "clock");
		SettingChecks.notNull(securityPolicy, "securityPolicy");
		SettingChecks.notNull(pump, "pump");
		presets = Map.copyOf(presets);
		listeners = List.copyOf(listeners);
		if (cluster != null && !store.isShared()) {
			throw new InvalidSettingException("cluster", null, "needs a shared job store (one that other nodes use "
					+ "too, such as a database), not " + store.getClass().getSimpleName());
		}
	}

	/**
	 * Settings whose output {@link Pump#AUTO} chooses how to read.
	 * @see #ExecraSettings(int, int, Duration, Duration, Duration, Duration, Duration, int, Replay, RetainedOutput,
	 * RawOutput, OutputLimit, int, int, int, long, StdinLimits, JobStore, StoreWrites, Duration, Duration, String,
	 * Clock, SecurityPolicy, Map, List, boolean, ClusterSettings, Pump)
	 */
	@SuppressWarnings("javadoc")
	public ExecraSettings(int maxConcurrent, int queueCapacity, @Nullable Duration defaultTimeout,
			@Nullable Duration maxTimeout, Duration cancelGracePeriod, Duration drainGracePeriod,
			Duration partialLineTimeout, int maxLineLength, Replay replay, RetainedOutput retainedOutput,
			RawOutput rawOutput, OutputLimit outputLimit, int outputTailBytes, int maxInMemoryJobs,
			int subscriberBufferSize, long subscriberBufferMaxBytes, StdinLimits stdin, JobStore store,
			StoreWrites storeWrites, Duration heartbeatInterval, Duration staleNodeTimeout, String nodeId, Clock clock,
			SecurityPolicy securityPolicy, Map<String, CommandTemplate> presets, List<ExecraListener> listeners,
			boolean virtualThreads, @Nullable ClusterSettings cluster) {
		this(maxConcurrent, queueCapacity, defaultTimeout, maxTimeout, cancelGracePeriod, drainGracePeriod,
				partialLineTimeout, maxLineLength, replay, retainedOutput, rawOutput, outputLimit, outputTailBytes,
				maxInMemoryJobs, subscriberBufferSize, subscriberBufferMaxBytes, stdin, store, storeWrites,
				heartbeatInterval, staleNodeTimeout, nodeId, clock, securityPolicy, presets, listeners, virtualThreads,
				cluster, Pump.AUTO);
	}

	/**
	 * Settings of a runtime that runs alone, not in a cluster.
	 * @see #ExecraSettings(int, int, Duration, Duration, Duration, Duration, Duration, int, Replay, RetainedOutput,
	 * RawOutput, OutputLimit, int, int, int, long, StdinLimits, JobStore, StoreWrites, Duration, Duration, String,
	 * Clock, SecurityPolicy, Map, List, boolean, ClusterSettings)
	 */
	@SuppressWarnings("javadoc")
	public ExecraSettings(int maxConcurrent, int queueCapacity, @Nullable Duration defaultTimeout,
			@Nullable Duration maxTimeout, Duration cancelGracePeriod, Duration drainGracePeriod,
			Duration partialLineTimeout, int maxLineLength, Replay replay, RetainedOutput retainedOutput,
			RawOutput rawOutput, OutputLimit outputLimit, int outputTailBytes, int maxInMemoryJobs,
			int subscriberBufferSize, long subscriberBufferMaxBytes, StdinLimits stdin, JobStore store,
			StoreWrites storeWrites, Duration heartbeatInterval, Duration staleNodeTimeout, String nodeId, Clock clock,
			SecurityPolicy securityPolicy, Map<String, CommandTemplate> presets, List<ExecraListener> listeners,
			boolean virtualThreads) {
		this(maxConcurrent, queueCapacity, defaultTimeout, maxTimeout, cancelGracePeriod, drainGracePeriod,
				partialLineTimeout, maxLineLength, replay, retainedOutput, rawOutput, outputLimit, outputTailBytes,
				maxInMemoryJobs, subscriberBufferSize, subscriberBufferMaxBytes, stdin, store, storeWrites,
				heartbeatInterval, staleNodeTimeout, nodeId, clock, securityPolicy, presets, listeners, virtualThreads,
				null, Pump.AUTO);
	}

	/**
	 * How long {@link ExecraRuntime#shutdown(Duration)} may still take after its timeout: the cancel grace period
	 * for the remaining jobs, the drain grace period, confirming their terminal states to the store, and flushing
	 * the store writer. A caller with a hard deadline passes its deadline minus this.
	 * @return the allowance
	 */
	public Duration shutdownAllowance() {
		return this.cancelGracePeriod.plus(this.drainGracePeriod)
			.plus(this.storeWrites.writeTimeout().multipliedBy(2))
			.plusSeconds(1);
	}

	/**
	 * The timeout that applies to a command: its own or the default, capped by the maximum.
	 * @param command the command
	 * @return the timeout, or {@code null} for none
	 */
	public @Nullable Duration effectiveTimeout(Command command) {
		Duration timeout = (command.timeout() != null) ? command.timeout() : this.defaultTimeout;
		if (this.maxTimeout != null && (timeout == null || timeout.compareTo(this.maxTimeout) > 0)) {
			return this.maxTimeout;
		}
		return timeout;
	}

	/**
	 * Bounds of each job's replay window, from which late subscribers catch up.
	 *
	 * @param maxEvents events the window keeps at most
	 * @param maxBytes bytes (approximate, of event text) the window keeps at most
	 */
	public record Replay(int maxEvents, long maxBytes) {

		public Replay {
			SettingChecks.atLeast(maxEvents, 1, "replayMaxEvents");
			SettingChecks.positive(maxBytes, "replayMaxBytes");
		}

	}

	/**
	 * Output lines kept in memory per job for {@code output(...)}.
	 *
	 * @param maxBytes bytes of lines kept at most
	 * @param maxLines lines kept at most
	 */
	public record RetainedOutput(long maxBytes, int maxLines) {

		public RetainedOutput {
			SettingChecks.notNegative(maxBytes, "retainedOutputMaxBytes");
			SettingChecks.atLeast(maxLines, 0, "retainedOutputMaxLines");
		}

	}

	/**
	 * Whether output is also written to one log file per job, and where.
	 *
	 * @param policy memory only, or also a plain or gzipped file
	 * @param directory directory of the per-job log files, or {@code null}; required unless the policy is
	 * {@link RawOutputPolicy#MEMORY}
	 */
	public record RawOutput(RawOutputPolicy policy, @Nullable Path directory) {

		public RawOutput {
			SettingChecks.notNull(policy, "rawOutputPolicy");
			if (policy != RawOutputPolicy.MEMORY && directory == null) {
				throw new InvalidSettingException("rawOutputDirectory", null,
						"is required when 'rawOutputPolicy' is " + policy);
			}
		}

	}

	/**
	 * Output allowed per job.
	 *
	 * @param maxBytes output bytes allowed per job ({@code 0}: no limit)
	 * @param strategy what happens past the limit; {@link OutputLimitStrategy#SPILL_TO_FILE} needs a raw output
	 * directory
	 */
	public record OutputLimit(long maxBytes, OutputLimitStrategy strategy) {

		public OutputLimit {
			SettingChecks.notNegative(maxBytes, "outputLimitMaxBytes");
			SettingChecks.notNull(strategy, "outputLimitStrategy");
		}

	}

	/**
	 * Bounds of what {@link JobHandle#write(byte[])} queues for a job's stdin pipe.
	 *
	 * @param bufferBytes bytes that may wait for the process to take them (or to start); a write past it fails with
	 * {@link StdinBufferFullException}
	 * @param writeTimeout how long the process may take none of the bytes waiting for it before they are dropped and
	 * its stdin stops taking writes
	 */
	public record StdinLimits(long bufferBytes, Duration writeTimeout) {

		public StdinLimits {
			SettingChecks.positive(bufferBytes, "stdinBufferBytes");
			SettingChecks.positive(writeTimeout, "stdinWriteTimeout");
		}

	}

	/**
	 * How job history is written to the store.
	 *
	 * @param bufferCapacity events buffered while the store is unreachable (terminal states are never dropped)
	 * @param writeTimeout how long finalization waits for the store to confirm a terminal state before the outcome
	 * completes anyway (the write keeps being retried)
	 */
	public record StoreWrites(int bufferCapacity, Duration writeTimeout) {

		public StoreWrites {
			SettingChecks.atLeast(bufferCapacity, 1, "storeBufferCapacity");
			SettingChecks.positivePeriod(writeTimeout, "storeWriteTimeout");
		}

	}

}
