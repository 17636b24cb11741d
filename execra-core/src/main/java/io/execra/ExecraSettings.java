package io.execra;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.execra.store.JobStore;
import org.jspecify.annotations.Nullable;

/**
 * The read-only settings of a runtime, as built by {@link ExecraRuntimeBuilder}. The defaults are the constants
 * of this class.
 *
 * @param maxConcurrent jobs that may run at once
 * @param queueCapacity jobs that may wait for a permit; more are rejected
 * @param defaultTimeout timeout of commands that set none, or {@code null} for none
 * @param maxTimeout upper bound for any command's timeout (longer ones are shortened to it), or {@code null}
 * @param cancelGracePeriod time from TERM to KILL when a job is cancelled
 * @param drainGracePeriod how long output pipes may stay open after the process exited (a grandchild holding
 * them) before the job is finalized anyway
 * @param replayMaxEvents events a job's replay window keeps at most
 * @param replayMaxBytes bytes (approximate, of event text) a job's replay window keeps at most
 * @param partialLineTimeout how long an unterminated line may wait for its end before it is published as a split
 * line, so that a prompt printed without a newline reaches interpreters; zero waits for the end
 * @param maxLineLength bytes (UTF-8) per output line, at least 16; longer lines are split into several flagged
 * events, never inside a character
 * @param retainedOutputBytes bytes of output lines kept in memory per job for {@code output(...)}
 * @param retainedOutputLines output lines kept in memory per job for {@code output(...)}
 * @param rawOutputPolicy whether output is also written to one log file per job
 * @param outputDirectory directory of the per-job log files, or {@code null}
 * @param outputLimitBytes output bytes allowed per job ({@code 0}: no limit)
 * @param outputLimitStrategy what happens past the output limit
 * @param outputTailBytes bytes of the last output kept on the finalized job's snapshot
 * @param maxInMemoryJobs finalized jobs kept in memory (oldest evicted first); the store keeps them after that
 * @param subscriberBufferSize events an all-jobs subscriber may fall behind before it lags
 * @param subscriberBufferBytes bytes (approximate, of event text, as in the replay window) an all-jobs subscriber
 * may fall behind before it lags
 * @param stdinBufferBytes bytes written to a job's stdin pipe that may wait for the process to take them (or to start);
 * a write past it fails with {@link StdinBufferFullException}
 * @param stdinWriteTimeout how long the process may take none of the bytes waiting for it before they are dropped and
 * its stdin stops taking writes
 * @param store where job history is kept
 * @param storeBufferCapacity events buffered for the store while it is unreachable (terminal states are never
 * dropped)
 * @param storeWriteTimeout how long finalization waits for the store to confirm a terminal state before the
 * outcome completes anyway (the write keeps being retried)
 * @param heartbeatInterval how often this node's heartbeat is written to the store
 * @param staleNodeTimeout other nodes silent this long have their active jobs finalized as host-exited
 * @param nodeId this application instance's id in the store
 * @param clock the clock for timestamps
 * @param securityPolicy what may run and what is redacted
 * @param presets named command templates
 * @param listeners callbacks for metrics and logging
 * @param virtualThreads whether event delivery to {@code Flow.Subscriber}s uses virtual threads where the JDK has
 * them (21+); job threads are always platform threads
 */
public record ExecraSettings(int maxConcurrent, int queueCapacity, @Nullable Duration defaultTimeout,
		@Nullable Duration maxTimeout, Duration cancelGracePeriod, Duration drainGracePeriod, int replayMaxEvents,
		long replayMaxBytes, Duration partialLineTimeout, int maxLineLength, long retainedOutputBytes, int retainedOutputLines,
		RawOutputPolicy rawOutputPolicy, @Nullable Path outputDirectory, long outputLimitBytes,
		OutputLimitStrategy outputLimitStrategy, int outputTailBytes, int maxInMemoryJobs, int subscriberBufferSize,
		long subscriberBufferBytes, long stdinBufferBytes, Duration stdinWriteTimeout,
		JobStore store, int storeBufferCapacity, Duration storeWriteTimeout, Duration heartbeatInterval,
		Duration staleNodeTimeout, String nodeId, Clock clock, SecurityPolicy securityPolicy,
		Map<String, CommandTemplate> presets, List<ExecraListener> listeners, boolean virtualThreads) {

	/** Default {@code queueCapacity}. */
	public static final int DEFAULT_QUEUE_CAPACITY = 1000;

	/** Default {@code cancelGracePeriod}. */
	public static final Duration DEFAULT_CANCEL_GRACE_PERIOD = Duration.ofSeconds(5);

	/** Default {@code drainGracePeriod}. */
	public static final Duration DEFAULT_DRAIN_GRACE_PERIOD = Duration.ofSeconds(2);

	/** Default {@code replayMaxEvents}. */
	public static final int DEFAULT_REPLAY_MAX_EVENTS = 4096;

	/** Default {@code replayMaxBytes}: 1 MiB. */
	public static final long DEFAULT_REPLAY_MAX_BYTES = 1024 * 1024;

	/** Default {@code partialLineTimeout}. */
	public static final Duration DEFAULT_PARTIAL_LINE_TIMEOUT = Duration.ofMillis(250);

	/** Default {@code maxLineLength}: 64 KiB. */
	public static final int DEFAULT_MAX_LINE_LENGTH = 64 * 1024;

	/** Default {@code retainedOutputBytes}: 1 MiB. */
	public static final long DEFAULT_RETAINED_OUTPUT_BYTES = 1024 * 1024;

	/** Default {@code retainedOutputLines}. */
	public static final int DEFAULT_RETAINED_OUTPUT_LINES = 10_000;

	/** Default {@code outputTailBytes}: 4 KiB. */
	public static final int DEFAULT_OUTPUT_TAIL_BYTES = 4096;

	/** Default {@code maxInMemoryJobs}. */
	public static final int DEFAULT_MAX_IN_MEMORY_JOBS = 1000;

	/** Default {@code subscriberBufferSize}. */
	public static final int DEFAULT_SUBSCRIBER_BUFFER_SIZE = 16_384;

	/** Default {@code subscriberBufferBytes}: 16 MiB. */
	public static final long DEFAULT_SUBSCRIBER_BUFFER_BYTES = 16 * 1024 * 1024;

	/** Default {@code stdinBufferBytes}: 1 MiB. */
	public static final long DEFAULT_STDIN_BUFFER_BYTES = 1024 * 1024;

	/** Default {@code stdinWriteTimeout}. */
	public static final Duration DEFAULT_STDIN_WRITE_TIMEOUT = Duration.ofSeconds(30);

	/** Default {@code storeBufferCapacity}. */
	public static final int DEFAULT_STORE_BUFFER_CAPACITY = 100_000;

	/** Default {@code storeWriteTimeout}. */
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
		if (maxConcurrent < 1) {
			throw new IllegalArgumentException("'maxConcurrent' must be at least 1 but was " + maxConcurrent);
		}
		Checks.notNegative(queueCapacity, "queueCapacity");
		if (defaultTimeout != null) {
			Checks.positive(defaultTimeout, "defaultTimeout");
		}
		if (maxTimeout != null) {
			Checks.positive(maxTimeout, "maxTimeout");
		}
		Checks.atMost(Checks.notNegative(cancelGracePeriod, "cancelGracePeriod"), MAX_PERIOD, "cancelGracePeriod");
		Checks.atMost(Checks.notNegative(drainGracePeriod, "drainGracePeriod"), MAX_PERIOD, "drainGracePeriod");
		Checks.positive(replayMaxEvents, "replayMaxEvents");
		Checks.positive(replayMaxBytes, "replayMaxBytes");
		Checks.atMost(Checks.notNegative(partialLineTimeout, "partialLineTimeout"), MAX_PERIOD, "partialLineTimeout");
		if (maxLineLength < 16) {
			throw new IllegalArgumentException("'maxLineLength' must be at least 16 bytes but was " + maxLineLength);
		}
		Checks.notNegative(retainedOutputBytes, "retainedOutputBytes");
		Checks.notNegative(retainedOutputLines, "retainedOutputLines");
		Checks.notNull(rawOutputPolicy, "rawOutputPolicy");
		if (rawOutputPolicy != RawOutputPolicy.MEMORY && outputDirectory == null) {
			throw new IllegalArgumentException(
					"'outputDirectory' must be set when 'rawOutputPolicy' is " + rawOutputPolicy);
		}
		Checks.notNegative(outputLimitBytes, "outputLimitBytes");
		Checks.notNull(outputLimitStrategy, "outputLimitStrategy");
		if (outputLimitStrategy == OutputLimitStrategy.SPILL_TO_FILE && outputLimitBytes > 0
				&& outputDirectory == null) {
			throw new IllegalArgumentException("'outputDirectory' must be set when 'outputLimitStrategy' is SPILL_TO_FILE");
		}
		Checks.notNegative(outputTailBytes, "outputTailBytes");
		Checks.positive(maxInMemoryJobs, "maxInMemoryJobs");
		Checks.positive(subscriberBufferSize, "subscriberBufferSize");
		Checks.positive(subscriberBufferBytes, "subscriberBufferBytes");
		Checks.positive(stdinBufferBytes, "stdinBufferBytes");
		Checks.positive(stdinWriteTimeout, "stdinWriteTimeout");
		Checks.notNull(store, "store");
		Checks.positive(storeBufferCapacity, "storeBufferCapacity");
		Checks.atMost(Checks.positive(storeWriteTimeout, "storeWriteTimeout"), MAX_PERIOD, "storeWriteTimeout");
		Checks.atMost(Checks.positive(heartbeatInterval, "heartbeatInterval"), MAX_PERIOD, "heartbeatInterval");
		Checks.atMost(Checks.positive(staleNodeTimeout, "staleNodeTimeout"), MAX_PERIOD, "staleNodeTimeout");
		Checks.notEmpty(nodeId, "nodeId");
		Checks.notNull(clock, "clock");
		Checks.notNull(securityPolicy, "securityPolicy");
		presets = Map.copyOf(presets);
		listeners = List.copyOf(listeners);
	}

	/**
	 * How long {@link ExecraRuntime#shutdown(Duration)} may still take after its timeout: the cancel grace period
	 * for the remaining jobs, the drain grace period, confirming their terminal states to the store, and flushing
	 * the store writer. A caller with a hard deadline passes its deadline minus this.
	 * @return the allowance
	 */
	public Duration shutdownAllowance() {
		return this.cancelGracePeriod.plus(this.drainGracePeriod).plus(this.storeWriteTimeout.multipliedBy(2)).plusSeconds(1);
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

}
