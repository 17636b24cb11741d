package io.execra;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.execra.cluster.ClusterSettings;
import io.execra.internal.job.RuntimeFactory;
import io.execra.store.InMemoryJobStore;
import io.execra.store.JobStore;
import org.jspecify.annotations.Nullable;

/**
 * Builds an {@link ExecraRuntime}. Not thread-safe; the runtime it builds is. Every setting has a default (see
 * {@link ExecraSettings}).
 */
public final class ExecraRuntimeBuilder {

	private int maxConcurrent = ExecraSettings.defaultMaxConcurrent();

	private int queueCapacity = ExecraSettings.DEFAULT_QUEUE_CAPACITY;

	private @Nullable Duration defaultTimeout;

	private @Nullable Duration maxTimeout;

	private Duration cancelGracePeriod = ExecraSettings.DEFAULT_CANCEL_GRACE_PERIOD;

	private Duration drainGracePeriod = ExecraSettings.DEFAULT_DRAIN_GRACE_PERIOD;

	private int replayMaxEvents = ExecraSettings.DEFAULT_REPLAY_MAX_EVENTS;

	private long replayMaxBytes = ExecraSettings.DEFAULT_REPLAY_MAX_BYTES;

	private Duration partialLineTimeout = ExecraSettings.DEFAULT_PARTIAL_LINE_TIMEOUT;

	private int maxLineLength = ExecraSettings.DEFAULT_MAX_LINE_LENGTH;

	private long retainedOutputBytes = ExecraSettings.DEFAULT_RETAINED_OUTPUT_BYTES;

	private int retainedOutputLines = ExecraSettings.DEFAULT_RETAINED_OUTPUT_LINES;

	private RawOutputPolicy rawOutputPolicy = RawOutputPolicy.MEMORY;

	private @Nullable Path outputDirectory;

	private long outputLimitBytes;

	private OutputLimitStrategy outputLimitStrategy = OutputLimitStrategy.TRUNCATE;

	private int outputTailBytes = ExecraSettings.DEFAULT_OUTPUT_TAIL_BYTES;

	private int maxInMemoryJobs = ExecraSettings.DEFAULT_MAX_IN_MEMORY_JOBS;

	private int subscriberBufferSize = ExecraSettings.DEFAULT_SUBSCRIBER_BUFFER_SIZE;

	private long subscriberBufferBytes = ExecraSettings.DEFAULT_SUBSCRIBER_BUFFER_BYTES;

	private long stdinBufferBytes = ExecraSettings.DEFAULT_STDIN_BUFFER_BYTES;

	private Duration stdinWriteTimeout = ExecraSettings.DEFAULT_STDIN_WRITE_TIMEOUT;

	private @Nullable JobStore store;

	private int storeBufferCapacity = ExecraSettings.DEFAULT_STORE_BUFFER_CAPACITY;

	private Duration storeWriteTimeout = ExecraSettings.DEFAULT_STORE_WRITE_TIMEOUT;

	private Duration heartbeatInterval = ExecraSettings.DEFAULT_HEARTBEAT_INTERVAL;

	private Duration staleNodeTimeout = ExecraSettings.DEFAULT_STALE_NODE_TIMEOUT;

	private @Nullable String nodeId;

	private Clock clock = Clock.systemUTC();

	private SecurityPolicy securityPolicy = SecurityPolicy.permissive();

	private final Map<String, CommandTemplate> presets = new LinkedHashMap<>();

	private final List<ExecraListener> listeners = new ArrayList<>();

	private boolean virtualThreads;

	private boolean shutdownHook = true;

	private @Nullable ClusterSettings cluster;

	private Pump pump = Pump.AUTO;

	ExecraRuntimeBuilder() {
	}

	/**
	 * Jobs that may run at once (default: the number of processors).
	 * @param maxConcurrent at least 1
	 * @return this builder
	 */
	public ExecraRuntimeBuilder maxConcurrent(int maxConcurrent) {
		this.maxConcurrent = maxConcurrent;
		return this;
	}

	/**
	 * Jobs that may wait for a permit (default 1000); {@code spawn} rejects more.
	 * @param queueCapacity at least 0
	 * @return this builder
	 */
	public ExecraRuntimeBuilder queueCapacity(int queueCapacity) {
		this.queueCapacity = queueCapacity;
		return this;
	}

	/**
	 * Timeout for commands that set none (default: none). One longer than about 292 years means none.
	 * @param timeout a positive duration, or {@code null}
	 * @return this builder
	 */
	public ExecraRuntimeBuilder defaultTimeout(@Nullable Duration timeout) {
		this.defaultTimeout = timeout;
		return this;
	}

	/**
	 * Upper bound for any timeout (default: none); longer timeouts are shortened to it, and commands without a
	 * timeout get it. One longer than about 292 years means none.
	 * @param timeout a positive duration, or {@code null}
	 * @return this builder
	 */
	public ExecraRuntimeBuilder maxTimeout(@Nullable Duration timeout) {
		this.maxTimeout = timeout;
		return this;
	}

	/**
	 * Time from TERM to KILL on cancel (default 5 s, at most {@link ExecraSettings#MAX_PERIOD one day}).
	 * @param grace the grace period
	 * @return this builder
	 */
	public ExecraRuntimeBuilder cancelGracePeriod(Duration grace) {
		this.cancelGracePeriod = grace;
		return this;
	}

	/**
	 * How long output pipes may stay open after the process exited before the job is finalized anyway (default 2
	 * s, at most {@link ExecraSettings#MAX_PERIOD one day}).
	 * @param grace the grace period
	 * @return this builder
	 */
	public ExecraRuntimeBuilder drainGracePeriod(Duration grace) {
		this.drainGracePeriod = grace;
		return this;
	}

	/**
	 * Bounds of each job's replay window (default 4096 events and 1 MiB).
	 * @param maxEvents events at most
	 * @param maxBytes approximate bytes at most
	 * @return this builder
	 */
	public ExecraRuntimeBuilder replayLimits(int maxEvents, long maxBytes) {
		this.replayMaxEvents = maxEvents;
		this.replayMaxBytes = maxBytes;
		return this;
	}

	/**
	 * How long an unterminated line may wait for its end before it is published as a split line (default 250 ms),
	 * so that a prompt printed without a newline ({@code read -p "Proceed? "}) reaches interpreters; zero waits for
	 * the end of the line. At most {@link ExecraSettings#MAX_PERIOD one day}.
	 * @param timeout the timeout
	 * @return this builder
	 */
	public ExecraRuntimeBuilder partialLineTimeout(Duration timeout) {
		this.partialLineTimeout = timeout;
		return this;
	}

	/**
	 * Bytes (UTF-8) per output line (default 65536, at least 16); longer lines are split into flagged parts, never
	 * inside a character.
	 * @param maxLineLength the length
	 * @return this builder
	 */
	public ExecraRuntimeBuilder maxLineLength(int maxLineLength) {
		this.maxLineLength = maxLineLength;
		return this;
	}

	/**
	 * Output kept in memory per job for {@link ExecraRuntime#output} (default 1 MiB and 10,000 lines).
	 * @param maxBytes bytes at most
	 * @param maxLines lines at most
	 * @return this builder
	 */
	public ExecraRuntimeBuilder retainedOutput(long maxBytes, int maxLines) {
		this.retainedOutputBytes = maxBytes;
		this.retainedOutputLines = maxLines;
		return this;
	}

	/**
	 * Writes each job's output to {@code <directory>/<job-id>.log}, gzipped on finalize if asked.
	 * @param directory the directory (created if missing)
	 * @param gzipOnFinalize whether to gzip finished logs
	 * @return this builder
	 */
	public ExecraRuntimeBuilder outputLog(Path directory, boolean gzipOnFinalize) {
		this.outputDirectory = directory;
		this.rawOutputPolicy = gzipOnFinalize ? RawOutputPolicy.FILE_GZIP : RawOutputPolicy.FILE;
		return this;
	}

	/**
	 * Sets the raw output policy and directory explicitly.
	 * @param policy the policy
	 * @param directory the directory, required unless the policy is {@link RawOutputPolicy#MEMORY}
	 * @return this builder
	 */
	public ExecraRuntimeBuilder rawOutput(RawOutputPolicy policy, @Nullable Path directory) {
		this.rawOutputPolicy = policy;
		this.outputDirectory = directory;
		return this;
	}

	/**
	 * Output allowed per job and what happens past it (default: no limit).
	 * @param maxBytes bytes allowed, {@code 0} for no limit
	 * @param strategy what happens past the limit
	 * @return this builder
	 */
	public ExecraRuntimeBuilder outputLimit(long maxBytes, OutputLimitStrategy strategy) {
		this.outputLimitBytes = maxBytes;
		this.outputLimitStrategy = strategy;
		return this;
	}

	/**
	 * Bytes of the last output kept on a finalized job's snapshot (default 4096).
	 * @param bytes the size
	 * @return this builder
	 */
	public ExecraRuntimeBuilder outputTailBytes(int bytes) {
		this.outputTailBytes = bytes;
		return this;
	}

	/**
	 * Finalized jobs kept in memory (default 1000), oldest evicted first.
	 * @param maxJobs at least 1
	 * @return this builder
	 */
	public ExecraRuntimeBuilder maxInMemoryJobs(int maxJobs) {
		this.maxInMemoryJobs = maxJobs;
		return this;
	}

	/**
	 * Events an all-jobs subscriber may fall behind before it gets a lag signal (default 16384).
	 * @param size the buffer size
	 * @return this builder
	 */
	public ExecraRuntimeBuilder subscriberBufferSize(int size) {
		this.subscriberBufferSize = size;
		return this;
	}

	/**
	 * Bytes (approximate, of event text, counted as in the replay window) an all-jobs subscriber may fall behind
	 * before it gets a lag signal (default 16 MiB). With {@link #subscriberBufferSize(int)}, whichever is reached
	 * first bounds the subscriber's buffer; one event larger than this is still buffered when the buffer is empty.
	 * @param bytes the buffer's size in bytes
	 * @return this builder
	 */
	public ExecraRuntimeBuilder subscriberBufferBytes(long bytes) {
		this.subscriberBufferBytes = bytes;
		return this;
	}

	/**
	 * Bounds of what {@link JobHandle#write(byte[])} queues for a job's stdin pipe (default 1 MiB and 30 s). A write
	 * never waits for the process: its bytes are queued and written on another thread, or, when they would pass
	 * {@code maxBytes}, the write fails at once with {@link StdinBufferFullException}. When the process takes none of
	 * the queued bytes for {@code writeTimeout}, they are dropped, a {@code stdin_write_timeout} warning is emitted
	 * and later writes fail with {@link StdinClosedException}.
	 * @param maxBytes bytes queued at most, per job
	 * @param writeTimeout how long the process may read nothing of them
	 * @return this builder
	 */
	public ExecraRuntimeBuilder stdinLimits(long maxBytes, Duration writeTimeout) {
		this.stdinBufferBytes = maxBytes;
		this.stdinWriteTimeout = writeTimeout;
		return this;
	}

	/**
	 * Where job history is kept (default: a new {@link InMemoryJobStore}).
	 * @param store the store
	 * @return this builder
	 */
	public ExecraRuntimeBuilder store(JobStore store) {
		this.store = store;
		return this;
	}

	/**
	 * Events buffered while the store is unreachable (default 100,000).
	 * @param capacity the capacity
	 * @return this builder
	 */
	public ExecraRuntimeBuilder storeBufferCapacity(int capacity) {
		this.storeBufferCapacity = capacity;
		return this;
	}

	/**
	 * How long finalization waits for the store to confirm a terminal state (default 5 s, at most
	 * {@link ExecraSettings#MAX_PERIOD one day}).
	 * @param timeout the timeout
	 * @return this builder
	 */
	public ExecraRuntimeBuilder storeWriteTimeout(Duration timeout) {
		this.storeWriteTimeout = timeout;
		return this;
	}

	/**
	 * How often this node writes its heartbeat (default 15 s), and after how long other silent nodes' active jobs
	 * are recovered (default 1 min); each at most {@link ExecraSettings#MAX_PERIOD one day}.
	 * @param interval the heartbeat interval
	 * @param staleAfter the silence after which a node counts as gone
	 * @return this builder
	 */
	public ExecraRuntimeBuilder heartbeat(Duration interval, Duration staleAfter) {
		this.heartbeatInterval = interval;
		this.staleNodeTimeout = staleAfter;
		return this;
	}

	/**
	 * This application instance's id in the store (default: host name, pid and a random suffix).
	 * @param nodeId the id
	 * @return this builder
	 */
	public ExecraRuntimeBuilder nodeId(String nodeId) {
		this.nodeId = nodeId;
		return this;
	}

	/**
	 * The clock for timestamps (default: system UTC).
	 * @param clock the clock
	 * @return this builder
	 */
	public ExecraRuntimeBuilder clock(Clock clock) {
		this.clock = clock;
		return this;
	}

	/**
	 * What may run and what is redacted (default: {@link SecurityPolicy#permissive()}).
	 * @param policy the policy
	 * @return this builder
	 */
	public ExecraRuntimeBuilder securityPolicy(SecurityPolicy policy) {
		this.securityPolicy = policy;
		return this;
	}

	/**
	 * Sets how processes' stdout and stderr are read: {@link Pump#EVENT_LOOP} (a few threads for all jobs, Linux
	 * 5.3+), {@link Pump#THREADS} (two per running job) or {@link Pump#AUTO} (the default: the event loop where it
	 * runs; the system property {@code io.execra.pump} chooses instead when set). {@code build()} fails, saying why,
	 * when {@code EVENT_LOOP} cannot run here.
	 * @param pump the pump
	 * @return this builder
	 */
	public ExecraRuntimeBuilder pump(Pump pump) {
		this.pump = SettingChecks.notNull(pump, "pump");
		return this;
	}

	/**
	 * Makes the runtime a node of a cluster: runtimes (application instances) on one shared store that act as one.
	 * Spawned jobs are queued in the shared table and run by whichever node claims them; jobs, events, cancel and
	 * await work from any node. Needs a shared {@link #store(JobStore) store}; the node id should be stable across
	 * restarts so that a node rescues its own earlier jobs.
	 * @param cluster the cluster settings, or {@code null} to run alone (the default)
	 * @return this builder
	 */
	public ExecraRuntimeBuilder cluster(@Nullable ClusterSettings cluster) {
		this.cluster = cluster;
		return this;
	}

	/**
	 * Adds a preset, spawned by name.
	 * @param template the preset
	 * @return this builder
	 */
	public ExecraRuntimeBuilder preset(CommandTemplate template) {
		this.presets.put(template.name(), template);
		return this;
	}

	/**
	 * Adds a listener.
	 * @param listener the listener
	 * @return this builder
	 */
	public ExecraRuntimeBuilder listener(ExecraListener listener) {
		this.listeners.add(listener);
		return this;
	}

	/**
	 * Whether the threads that deliver events to {@code Flow.Subscriber}s are virtual threads when the JDK has them
	 * (21+; ignored on older JDKs; default false). Job threads (pumps) are always platform threads: a blocking pipe
	 * read would pin a virtual thread's carrier, and a few hundred running jobs would starve the carriers.
	 * @param enabled whether to use them
	 * @return this builder
	 */
	public ExecraRuntimeBuilder virtualThreads(boolean enabled) {
		this.virtualThreads = enabled;
		return this;
	}

	/**
	 * Whether a JVM shutdown hook kills the process groups of jobs still active when the JVM exits before the
	 * runtime was shut down (default true): the last resort of a plain-Java runtime, so that no job outlives its JVM.
	 * Turn it off when the runtime's owner shuts it down at JVM exit, as Spring's lifecycle does: JVM hooks run side
	 * by side, so the hook would kill the jobs that owner lets drain.
	 * @param enabled whether to register the hook
	 * @return this builder
	 */
	public ExecraRuntimeBuilder shutdownHook(boolean enabled) {
		this.shutdownHook = enabled;
		return this;
	}

	/**
	 * The settings as they stand.
	 * @return the settings
	 * @throws InvalidSettingException naming the first invalid setting
	 */
	public ExecraSettings settings() {
		return new ExecraSettings(this.maxConcurrent, this.queueCapacity, this.defaultTimeout, this.maxTimeout,
				this.cancelGracePeriod, this.drainGracePeriod, this.partialLineTimeout, this.maxLineLength,
				new ExecraSettings.Replay(this.replayMaxEvents, this.replayMaxBytes),
				new ExecraSettings.RetainedOutput(this.retainedOutputBytes, this.retainedOutputLines),
				new ExecraSettings.RawOutput(this.rawOutputPolicy, this.outputDirectory),
				new ExecraSettings.OutputLimit(this.outputLimitBytes, this.outputLimitStrategy), this.outputTailBytes,
				this.maxInMemoryJobs, this.subscriberBufferSize, this.subscriberBufferBytes,
				new ExecraSettings.StdinLimits(this.stdinBufferBytes, this.stdinWriteTimeout),
				(this.store != null) ? this.store : new InMemoryJobStore(),
				new ExecraSettings.StoreWrites(this.storeBufferCapacity, this.storeWriteTimeout),
				this.heartbeatInterval, this.staleNodeTimeout, (this.nodeId != null) ? this.nodeId : defaultNodeId(),
				this.clock, this.securityPolicy, this.presets, this.listeners, this.virtualThreads, this.cluster,
				this.pump);
	}

	/**
	 * Builds the runtime. It recovers jobs this node left active in the store (e.g. after a crash) before it
	 * accepts work.
	 * @return the runtime
	 * @throws InvalidSettingException naming the first invalid setting
	 */
	public ExecraRuntime build() {
		return RuntimeFactory.create(settings(), this.shutdownHook);
	}

	private static String defaultNodeId() {
		String runtimeName = ManagementFactory.getRuntimeMXBean().getName();
		return runtimeName + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
