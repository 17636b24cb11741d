package io.execra.internal.job;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

import io.execra.Command;
import io.execra.CommandSpec;
import io.execra.CommandTemplate;
import io.execra.Event;
import io.execra.Delivery;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.ExecraSettings;
import io.execra.Job;
import io.execra.JobHandle;
import io.execra.JobId;
import io.execra.JobRejectedException;
import io.execra.JobsQuery;
import io.execra.OutputPage;
import io.execra.RuntimeStats;
import io.execra.cluster.ClusterView;
import io.execra.internal.Threads;
import io.execra.internal.delivery.EventFanOut;
import io.execra.internal.delivery.Listeners;
import io.execra.internal.process.ProcessLauncher;
import io.execra.internal.process.ProcessSignaller;
import io.execra.internal.store.StoreWriter;
import io.execra.store.OutputLogFiles;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime behind {@link ExecraRuntime}: the shared threads (scheduler, store writer, signaller) and the parts
 * that do the work, wired together: {@link CommandChecks} (limits and security policy), {@link Admission}
 * (concurrency limit and queue), {@link JobRegistry} (the jobs in memory), {@link JobQueries} (live and stored
 * answers), {@link EventFanOut} (all-jobs subscriptions), {@link NodeRecovery} (jobs stranded by a node that is
 * gone) and {@link JobsShutdown} (the jobs still active at the end).
 */
final class DefaultExecraRuntime implements ExecraRuntime {

	private static final Logger logger = LoggerFactory.getLogger(DefaultExecraRuntime.class);

	/** Set while a job starts on the thread where another ended ({@link #start}). */
	private static final ThreadLocal<Boolean> STARTING_HERE = ThreadLocal.withInitial(() -> Boolean.FALSE);

	private final ExecraSettings settings;

	private final Listeners listeners;

	private final ProcessLauncher launcher;

	private final Executor jobThreads;

	/**
	 * Where jobs start: the job threads, where the job's thread goes on to pump its stdout; a few threads when the
	 * event loop pumps, since a start then takes a moment (a burst of starts must not leave a thread per job).
	 */
	private final Executor startThreads;

	/** Threads that deliver events to {@code Flow.Subscriber}s: they only wait, so they may be virtual. */
	private final ThreadFactory deliveryThreads;

	/** Complete the futures {@link JobHandle#outcome()} hands out, so that their callers' stages run there. */
	private final Executor outcomeThreads;

	private final ProcessSignaller signaller;

	private final StoreWriter storeWriter;

	private final Admission<JobDriver> admission;

	private final JobRegistry registry;

	private final JobQueries queries;

	private final EventFanOut fanOut;

	private final RuntimeScheduler scheduler;

	private final CommandChecks checks;

	private final JobsShutdown jobsShutdown;

	private final JobServices services;

	private final JobCallbacks callbacks;

	/** The node's part of the cluster, or {@code null} when the runtime runs alone. */
	private final @Nullable ClusterJobs cluster;

	/** What handles read of jobs anywhere in the cluster, or {@code null} when the runtime runs alone. */
	private final @Nullable ClusterReads clusterReads;

	private volatile boolean accepting = true;

	/**
	 * Creates the runtime and recovers jobs this node left active in the store; a JVM shutdown hook kills the process
	 * groups of jobs still active when the JVM exits before the runtime was shut down.
	 * @param settings the settings
	 */
	DefaultExecraRuntime(ExecraSettings settings) {
		this(settings, true);
	}

	/**
	 * Creates the runtime and recovers jobs this node left active in the store.
	 * @param settings the settings
	 * @param killAtJvmExit whether a JVM shutdown hook kills the process groups of jobs still active when the JVM
	 * exits before the runtime was shut down
	 */
	DefaultExecraRuntime(ExecraSettings settings, boolean killAtJvmExit) {
		this.settings = settings;
		this.listeners = new Listeners(settings.listeners());
		this.launcher = new ProcessLauncher(settings.pump());
		// Platform threads even when virtual threads are asked for: a job's threads spend their lives in blocking
		// reads of process pipes (plain file descriptors, not selectable by the JDK), which pin a virtual thread's
		// carrier; past the scheduler's 256 carriers, jobs stopped starting and the runtime hung.
		this.jobThreads = Threads.executor("execra-job-", false);
		this.startThreads = this.launcher.pumpsOnEventLoop()
				? Threads.boundedExecutor("execra-start-", Math.max(2, Runtime.getRuntime().availableProcessors()))
				: this.jobThreads;
		ThreadFactory serviceThreads = Threads.factory("execra-", false);
		this.deliveryThreads = Threads.factory("execra-delivery-", settings.virtualThreads());
		this.outcomeThreads = Threads.executor("execra-outcome-", settings.virtualThreads());
		this.signaller = new ProcessSignaller(this.launcher.usesProcessGroups(), serviceThreads,
				(settings.cluster() != null) ? settings.nodeId() : null);
		this.cluster = (settings.cluster() != null) ? new ClusterJobs(settings, this.listeners) : null;
		this.storeWriter = (this.cluster != null)
				? new StoreWriter(settings.store(), settings.storeWrites().bufferCapacity(), serviceThreads,
						this.listeners, this.cluster.fencedWrites(), true)
				: new StoreWriter(settings.store(), settings.storeWrites().bufferCapacity(), serviceThreads,
						this.listeners);
		this.admission = new Admission<>(settings.maxConcurrent(), settings.queueCapacity(), this::start);
		this.registry = new JobRegistry(settings.maxInMemoryJobs());
		this.queries = new JobQueries(settings, this.registry, this.storeWriter, this.deliveryThreads);
		this.fanOut = new EventFanOut(settings.subscriberBufferSize(), settings.subscriberBufferMaxBytes(),
				settings.clock(), this.deliveryThreads, this.listeners);
		this.checks = new CommandChecks(settings.securityPolicy(), this.launcher);
		this.jobsShutdown = new JobsShutdown(settings, this.registry, this.signaller);
		NodeRecovery recovery = new NodeRecovery(settings, this.signaller);
		// other nodes judge this one by its heartbeat, which recovers their stranded jobs in turn; in cluster mode
		// the lease and rescue of the cluster store do that instead, on the database's clock
		boolean heartbeat = settings.store().isShared() && this.cluster == null;
		this.scheduler = new RuntimeScheduler(settings.heartbeatInterval(), heartbeat ? recovery::heartbeat : null,
				killAtJvmExit ? this.jobsShutdown::killActive : null);
		this.services = new JobServices(settings, this.jobThreads, this.scheduler::get, this.launcher, this.signaller,
				this.storeWriter, this.listeners, this.fanOut);
		this.callbacks = new RuntimeCallbacks(this.admission, this.registry,
				(this.cluster != null) ? this.cluster::released : null);
		OutputLogFiles.checkDirectory(settings.rawOutput().directory(), "outputDirectory");
		this.clusterReads = (this.cluster != null) ? new ClusterReads(settings, this.registry, this.cluster,
				this.deliveryThreads) : null;
		if (this.cluster != null) {
			this.cluster.start(new ClusterNodeJobs(settings, this.registry, this.admission, this.checks,
					this.services, this.callbacks, this.signaller, this.storeWriter, recovery,
					this::start), serviceThreads);
		}
		else {
			recovery.recoverAtStart();
		}
		if (heartbeat) {
			// it must beat from the start, not from the first job
			this.scheduler.get();
		}
	}

	// ---- spawn ---------------------------------------------------------------------------------------------

	@Override
	public JobHandle spawn(Command command) {
		if (!this.accepting) {
			throw new JobRejectedException("Job rejected: the runtime is shutting down (" + command.program() + ")");
		}
		CommandChecks.Checked checked = this.checks.check(command);
		if (this.cluster != null) {
			return clusterHandle(this.cluster.enqueue(checked, null, Map.of()));
		}
		CommandSpec spec = checked.spec();
		JobDriver driver = new JobDriver(this.services, this.callbacks, JobId.generate(this.settings.clock()),
				this.settings.clock().instant(), 0, checked.command(), spec, checked.environment(), this.settings.effectiveTimeout(checked.command()));
		boolean startNow = this.admission.admit(driver, spec.commandLine(), () -> {
			// created under the admission lock, so a queued job cannot start before JobCreated; made visible
			// (cancel, queries) only after that, so no other thread holds its lock while we hold this one
			this.scheduler.get();
			driver.created();
			this.registry.add(driver);
		});
		this.listeners.jobCreated(driver.snapshot());
		if (startNow) {
			start(driver);
		}
		else {
			// queued behind jobs that started already: it may be the next to start
			prepareNext();
		}
		return new DefaultJobHandle(driver, this.deliveryThreads, this.outcomeThreads);
	}

	@Override
	public JobHandle spawn(String preset, Map<String, String> parameters) {
		CommandTemplate template = this.settings.presets().get(preset);
		if (template == null) {
			throw new IllegalArgumentException(
					"Unknown preset '" + preset + "' (known presets: " + this.settings.presets().keySet() + ")");
		}
		if (this.cluster != null) {
			if (!this.accepting) {
				throw new JobRejectedException("Job rejected: the runtime is shutting down (preset " + preset + ")");
			}
			// every check a local spawn makes, before anything is recorded: a bad request is refused here
			CommandChecks.Checked checked = this.checks.check(template.render(parameters));
			return clusterHandle(this.cluster.enqueue(checked, preset, parameters));
		}
		return spawn(template.render(parameters));
	}

	private JobHandle clusterHandle(JobId id) {
		return new ClusterJobHandle(id, requireReads(), this.deliveryThreads);
	}

	private ClusterReads requireReads() {
		ClusterReads reads = this.clusterReads;
		if (reads == null) {
			throw new IllegalStateException("Not in cluster mode");
		}
		return reads;
	}

	@Override
	public Map<String, CommandTemplate> presets() {
		return this.settings.presets();
	}

	void start(JobDriver driver) {
		if (ProcessLauncher.onEventLoopThread() && !STARTING_HERE.get()) {
			// a permit released where a job ended passes to the next job on the same thread: waking a start thread
			// for it would put a hand-off between threads on every queued job's path. Not nested: a next job that
			// cannot start releases its permit in turn, and that job starts on a start thread.
			STARTING_HERE.set(Boolean.TRUE);
			try {
				driver.run();
				prepareNext();
			}
			catch (RuntimeException | Error ex) {
				logger.error("Job {} could not be started", driver.id(), ex);
			}
			finally {
				STARTING_HERE.set(Boolean.FALSE);
			}
			return;
		}
		this.startThreads.execute(() -> {
			driver.run();
			prepareNext();
		});
	}

	/** Prepares the start of the job that gets the next permit, while the jobs holding one run. */
	private void prepareNext() {
		JobDriver next = this.admission.next();
		if (next != null) {
			next.launch().prepareAhead();
		}
	}

	@Override
	public void forget(Collection<JobId> ids) {
		this.registry.forget(ids);
	}

	// ---- shared services -------------------------------------------------------------------------------------

	/** @return the launcher of this runtime's processes */
	ProcessLauncher launcher() {
		return this.launcher;
	}

	/** @return the jobs this runtime holds in memory */
	JobRegistry registry() {
		return this.registry;
	}

	// ---- queries -----------------------------------------------------------------------------------------------

	@Override
	public boolean cancel(JobId id) {
		if (this.cluster != null) {
			return requireReads().cancel(id);
		}
		return this.queries.cancel(id);
	}

	@Override
	public Optional<JobHandle> handle(JobId id) {
		if (this.cluster != null) {
			return (this.registry.get(id) != null || this.settings.store().find(id).isPresent())
					? Optional.of(clusterHandle(id)) : Optional.empty();
		}
		JobDriver driver = this.registry.get(id);
		return (driver != null) ? Optional.of(new DefaultJobHandle(driver, this.deliveryThreads, this.outcomeThreads))
				: Optional.empty();
	}

	@Override
	public Optional<Job> job(JobId id) {
		return this.queries.job(id);
	}

	@Override
	public List<Job> recent(int n) {
		return this.registry.recent(n);
	}

	@Override
	public List<JobId> running() {
		return this.registry.running();
	}

	@Override
	public JobsQuery jobs() {
		return this.queries.jobs();
	}

	@Override
	public List<Event> events(JobId id, long afterSeq, int limit) {
		return this.queries.events(id, afterSeq, limit);
	}

	@Override
	public EventStream subscribe() {
		return this.fanOut.subscribe();
	}

	@Override
	public EventStream subscribeWithoutOutput() {
		return this.fanOut.subscribe(false);
	}

	@Override
	public EventStream subscribe(JobId id) {
		return subscribe(id, Delivery.BEST_EFFORT);
	}

	@Override
	public EventStream subscribe(JobId id, Delivery delivery) {
		if (delivery == null) {
			throw new IllegalArgumentException("'delivery' must not be null");
		}
		if (this.cluster != null) {
			return requireReads().subscribe(id, delivery);
		}
		return this.queries.subscribe(id, delivery);
	}

	@Override
	public Optional<ClusterView> cluster() {
		return (this.cluster != null) ? Optional.of(this.cluster.view()) : Optional.empty();
	}

	@Override
	public OutputPage output(JobId id, long afterSeq, int maxBytes, Duration wait) throws InterruptedException {
		if (this.clusterReads != null && this.registry.get(id) == null) {
			return this.clusterReads.output(id, afterSeq, maxBytes, wait);
		}
		return this.queries.output(id, afterSeq, maxBytes, wait);
	}

	@Override
	public RuntimeStats stats() {
		// the store figures are the writer's own, read apart from the admission counts, which they do not need
		int storeBacklog = this.storeWriter.backlog();
		Throwable storeFailure = this.storeWriter.lastFailure();
		Admission.Load load = this.admission.load();
		return new RuntimeStats(load.running(), load.queued(), this.settings.maxConcurrent(),
				this.settings.queueCapacity(), this.accepting, storeBacklog, storeFailure);
	}

	@Override
	public ExecraSettings settings() {
		return this.settings;
	}

	// ---- shutdown ------------------------------------------------------------------------------------------------

	@Override
	public void shutdown(Duration timeout) throws InterruptedException {
		this.accepting = false;
		if (this.cluster != null) {
			this.cluster.stopClaiming();
		}
		this.jobsShutdown.drain(timeout);
		this.storeWriter.stop(this.settings.storeWrites().writeTimeout());
		if (this.cluster != null) {
			this.cluster.leave();
		}
		this.signaller.stop();
		this.fanOut.finishAll();
		this.scheduler.shutdown();
		Threads.endIdleThreads(this.jobThreads);
		Threads.endIdleThreads(this.startThreads);
		Threads.endIdleThreads(this.outcomeThreads);
		this.launcher.close();
	}

	@Override
	public void close() {
		try {
			shutdown(Duration.ZERO);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
