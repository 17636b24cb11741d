package io.execra.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import io.execra.OutputLimitStrategy;
import io.execra.Pump;
import io.execra.RawOutputPolicy;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * Settings of one execra runtime: bound at {@code execra.*} for the default runtime and at
 * {@code execra.runtimes.<name>.*} for a named runtime, which inherits every setting it does not set from
 * {@code execra.*}. Bound onto {@link io.execra.ExecraSettings}, which checks the values; the defaults are the
 * core's.
 */
public class ExecraRuntimeProperties {

	/**
	 * Maximum number of jobs that may run at once. Defaults to the number of available processors.
	 */
	private @Nullable Integer maxConcurrent;

	/**
	 * Maximum number of jobs that may wait for a free slot; further jobs are rejected.
	 */
	private int queueCapacity = 1000;

	/**
	 * Timeout of commands that set none. One longer than about 292 years means none. If a duration suffix is not
	 * specified, seconds will be used.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration defaultTimeout;

	/**
	 * Upper bound of any command's timeout; longer timeouts are shortened to it and commands without one get it. One
	 * longer than about 292 years means none. If a duration suffix is not specified, seconds will be used.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration maxTimeout;

	/**
	 * Time from TERM to KILL when a job is cancelled, at most one day. If a duration suffix is not specified, seconds
	 * will be used.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration cancelGracePeriod = Duration.ofSeconds(5);

	/**
	 * How long output pipes may stay open after the process exited before the job is finalized anyway, at most one
	 * day. If a duration suffix is not specified, seconds will be used.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration drainGracePeriod = Duration.ofSeconds(2);

	/**
	 * How long an unterminated output line may wait for its end before it is published as a split line, so that a
	 * prompt printed without a newline reaches interpreters. Zero waits for the end of the line; at most one day.
	 */
	private Duration partialLineTimeout = Duration.ofMillis(250);

	/**
	 * Maximum number of bytes (UTF-8) per output line, at least 16; longer lines are split into several flagged
	 * events, never inside a character.
	 */
	private int maxLineLength = 65536;

	/**
	 * Size of the last output kept on a finalized job's snapshot.
	 */
	private DataSize outputTailSize = DataSize.ofKilobytes(4);

	/**
	 * Maximum number of finalized jobs kept in memory; the oldest are evicted first and remain in the store.
	 */
	private int maxInMemoryJobs = 1000;

	/**
	 * Number of events an all-jobs subscriber may fall behind before it receives a lag signal.
	 */
	private int subscriberBufferSize = 16_384;

	/**
	 * Maximum size (approximate, of event text, counted as in the replay window) of the events an all-jobs subscriber
	 * may fall behind by before it receives a lag signal.
	 */
	private DataSize subscriberBufferMaxSize = DataSize.ofMegabytes(16);

	/**
	 * How processes' stdout and stderr are read: "event-loop" (one epoll loop and a few I/O threads for all jobs;
	 * Linux 5.3+ with posix_spawn, the runtime fails to start elsewhere), "threads" (two threads per running job), or
	 * "auto": the event loop where it runs, threads elsewhere (the system property io.execra.pump decides instead
	 * when set).
	 */
	private Pump pump = Pump.AUTO;

	/**
	 * Id of this application instance in the job store. Defaults to the JVM name plus a random suffix; in cluster mode,
	 * to the host name, ":" and the server port (the process id instead with server.port=0 or without a web
	 * server), stable across restarts. A named runtime inheriting it appends "-" and its name.
	 */
	private @Nullable String nodeId;

	/**
	 * How often this instance writes its heartbeat to the job store, at most one day. If a duration suffix is not
	 * specified, seconds will be used.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration heartbeatInterval = Duration.ofSeconds(15);

	/**
	 * Silence after which another instance counts as gone and its active jobs are finalized as host-exited, at most
	 * one day. If a duration suffix is not specified, seconds will be used.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration staleNodeTimeout = Duration.ofMinutes(1);

	private final Replay replay = new Replay();

	private final RetainedOutput retainedOutput = new RetainedOutput();

	private final OutputLimit outputLimit = new OutputLimit();

	private final RawOutput rawOutput = new RawOutput();

	private final Store store = new Store();

	private final Stdin stdin = new Stdin();

	@NestedConfigurationProperty
	private final ExecraSecurityProperties security = new ExecraSecurityProperties();

	public @Nullable Integer getMaxConcurrent() {
		return this.maxConcurrent;
	}

	public void setMaxConcurrent(@Nullable Integer maxConcurrent) {
		this.maxConcurrent = maxConcurrent;
	}

	public int getQueueCapacity() {
		return this.queueCapacity;
	}

	public void setQueueCapacity(int queueCapacity) {
		this.queueCapacity = queueCapacity;
	}

	public @Nullable Duration getDefaultTimeout() {
		return this.defaultTimeout;
	}

	public void setDefaultTimeout(@Nullable Duration defaultTimeout) {
		this.defaultTimeout = defaultTimeout;
	}

	public @Nullable Duration getMaxTimeout() {
		return this.maxTimeout;
	}

	public void setMaxTimeout(@Nullable Duration maxTimeout) {
		this.maxTimeout = maxTimeout;
	}

	public Duration getCancelGracePeriod() {
		return this.cancelGracePeriod;
	}

	public void setCancelGracePeriod(Duration cancelGracePeriod) {
		this.cancelGracePeriod = cancelGracePeriod;
	}

	public Duration getPartialLineTimeout() {
		return this.partialLineTimeout;
	}

	public void setPartialLineTimeout(Duration partialLineTimeout) {
		this.partialLineTimeout = partialLineTimeout;
	}

	public Duration getDrainGracePeriod() {
		return this.drainGracePeriod;
	}

	public void setDrainGracePeriod(Duration drainGracePeriod) {
		this.drainGracePeriod = drainGracePeriod;
	}

	public int getMaxLineLength() {
		return this.maxLineLength;
	}

	public void setMaxLineLength(int maxLineLength) {
		this.maxLineLength = maxLineLength;
	}

	public DataSize getOutputTailSize() {
		return this.outputTailSize;
	}

	public void setOutputTailSize(DataSize outputTailSize) {
		this.outputTailSize = outputTailSize;
	}

	public int getMaxInMemoryJobs() {
		return this.maxInMemoryJobs;
	}

	public void setMaxInMemoryJobs(int maxInMemoryJobs) {
		this.maxInMemoryJobs = maxInMemoryJobs;
	}

	public int getSubscriberBufferSize() {
		return this.subscriberBufferSize;
	}

	public void setSubscriberBufferSize(int subscriberBufferSize) {
		this.subscriberBufferSize = subscriberBufferSize;
	}

	public DataSize getSubscriberBufferMaxSize() {
		return this.subscriberBufferMaxSize;
	}

	public void setSubscriberBufferMaxSize(DataSize subscriberBufferMaxSize) {
		this.subscriberBufferMaxSize = subscriberBufferMaxSize;
	}

	public Pump getPump() {
		return this.pump;
	}

	public void setPump(Pump pump) {
		this.pump = pump;
	}

	public @Nullable String getNodeId() {
		return this.nodeId;
	}

	public void setNodeId(@Nullable String nodeId) {
		this.nodeId = nodeId;
	}

	public Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	public void setHeartbeatInterval(Duration heartbeatInterval) {
		this.heartbeatInterval = heartbeatInterval;
	}

	public Duration getStaleNodeTimeout() {
		return this.staleNodeTimeout;
	}

	public void setStaleNodeTimeout(Duration staleNodeTimeout) {
		this.staleNodeTimeout = staleNodeTimeout;
	}

	public Replay getReplay() {
		return this.replay;
	}

	public RetainedOutput getRetainedOutput() {
		return this.retainedOutput;
	}

	public OutputLimit getOutputLimit() {
		return this.outputLimit;
	}

	public RawOutput getRawOutput() {
		return this.rawOutput;
	}

	public Store getStore() {
		return this.store;
	}

	public Stdin getStdin() {
		return this.stdin;
	}

	public ExecraSecurityProperties getSecurity() {
		return this.security;
	}

	/**
	 * Bounds of each job's replay window, from which late subscribers catch up.
	 */
	public static class Replay {

		/**
		 * Maximum number of events a job's replay window keeps.
		 */
		private int maxEvents = 4096;

		/**
		 * Maximum size (approximate, of event text) a job's replay window keeps.
		 */
		private DataSize maxSize = DataSize.ofMegabytes(1);

		public int getMaxEvents() {
			return this.maxEvents;
		}

		public void setMaxEvents(int maxEvents) {
			this.maxEvents = maxEvents;
		}

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = maxSize;
		}

	}

	/**
	 * Output lines kept in memory per job for reading them back.
	 */
	public static class RetainedOutput {

		/**
		 * Maximum size of the output lines kept in memory per job.
		 */
		private DataSize maxSize = DataSize.ofMegabytes(1);

		/**
		 * Maximum number of output lines kept in memory per job.
		 */
		private int maxLines = 10_000;

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = maxSize;
		}

		public int getMaxLines() {
			return this.maxLines;
		}

		public void setMaxLines(int maxLines) {
			this.maxLines = maxLines;
		}

	}

	/**
	 * Output allowed per job.
	 */
	public static class OutputLimit {

		/**
		 * Output allowed per job. Unlimited when not set or zero.
		 */
		private @Nullable DataSize maxSize;

		/**
		 * What happens when a job prints more than the limit.
		 */
		private OutputLimitStrategy strategy = OutputLimitStrategy.TRUNCATE;

		public @Nullable DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(@Nullable DataSize maxSize) {
			this.maxSize = maxSize;
		}

		public OutputLimitStrategy getStrategy() {
			return this.strategy;
		}

		public void setStrategy(OutputLimitStrategy strategy) {
			this.strategy = strategy;
		}

	}

	/**
	 * Where job output is kept after it was published.
	 */
	public static class RawOutput {

		/**
		 * Whether output is kept in memory only or also written to one log file per job.
		 */
		private RawOutputPolicy policy = RawOutputPolicy.MEMORY;

		/**
		 * Directory of the per-job log files, created if missing. Required by the "file" and "file-gzip" policies
		 * and by the "spill-to-file" output limit strategy.
		 */
		private @Nullable Path directory;

		public RawOutputPolicy getPolicy() {
			return this.policy;
		}

		public void setPolicy(RawOutputPolicy policy) {
			this.policy = policy;
		}

		public @Nullable Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable Path directory) {
			this.directory = directory;
		}

	}

	/**
	 * Writing job history to the job store.
	 */
	public static class Store {

		/**
		 * Maximum number of events buffered while the store is unreachable; terminal states are never dropped.
		 */
		private int bufferCapacity = 100_000;

		/**
		 * How long finalization waits for the store to confirm a terminal state, at most one day. If a duration
		 * suffix is not specified, seconds will be used.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration writeTimeout = Duration.ofSeconds(5);

		public int getBufferCapacity() {
			return this.bufferCapacity;
		}

		public void setBufferCapacity(int bufferCapacity) {
			this.bufferCapacity = bufferCapacity;
		}

		public Duration getWriteTimeout() {
			return this.writeTimeout;
		}

		public void setWriteTimeout(Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
		}

	}

	/**
	 * Writes to the stdin pipe of a job ({@code JobHandle.write}), queued and written on another thread.
	 */
	public static class Stdin {

		/**
		 * Maximum size of the bytes written to a job's stdin that may wait for the process to take them (or to
		 * start); a write past it fails at once.
		 */
		private DataSize bufferSize = DataSize.ofMegabytes(1);

		/**
		 * How long the process may take none of the bytes waiting on its stdin before they are dropped, with a
		 * "stdin_write_timeout" warning, and its stdin stops taking writes. If a duration suffix is not specified,
		 * seconds will be used.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration writeTimeout = Duration.ofSeconds(30);

		public DataSize getBufferSize() {
			return this.bufferSize;
		}

		public void setBufferSize(DataSize bufferSize) {
			this.bufferSize = bufferSize;
		}

		public Duration getWriteTimeout() {
			return this.writeTimeout;
		}

		public void setWriteTimeout(Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
		}

	}

}
