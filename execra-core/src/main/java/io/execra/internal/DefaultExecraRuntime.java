package io.execra.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.execra.Command;
import io.execra.CommandLimits;
import io.execra.CommandSpec;
import io.execra.CommandTemplate;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.ExecraSettings;
import io.execra.Job;
import io.execra.JobHandle;
import io.execra.JobId;
import io.execra.JobRejectedException;
import io.execra.JobState;
import io.execra.JobsQuery;
import io.execra.OutputPage;
import io.execra.RuntimeStats;
import io.execra.UnknownJobException;
import io.execra.store.JobQuery;
import io.execra.store.StoreException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime behind {@link ExecraRuntime}: admission (security policy, concurrency limit, FIFO queue), the jobs it
 * holds in memory, subscriptions, and the shared threads (scheduler, store writer, signaller), created on first
 * use.
 */
public final class DefaultExecraRuntime implements ExecraRuntime {

	private static final Logger logger = LoggerFactory.getLogger(DefaultExecraRuntime.class);

	private final ExecraSettings settings;

	private final Listeners listeners;

	private final ProcessLauncher launcher = new ProcessLauncher();

	private final java.util.concurrent.Executor jobThreads;

	private final ThreadFactory serviceThreads;

	/** Threads that deliver events to {@code Flow.Subscriber}s: they only wait, so they may be virtual. */
	private final ThreadFactory deliveryThreads;

	private final ProcessSignaller signaller;

	private final StoreWriter storeWriter;

	private final ReentrantLock admission = new ReentrantLock();

	private final ArrayDeque<JobDriver> queue = new ArrayDeque<>();

	private final java.util.Set<JobDriver> permitted = java.util.Collections.newSetFromMap(new ConcurrentHashMap<>());

	private int running;

	private volatile boolean accepting = true;

	/** Jobs in memory: active ones, and the newest finalized ones up to the configured bound. */
	private final ConcurrentHashMap<JobId, JobDriver> jobs = new ConcurrentHashMap<>();

	private final ArrayDeque<JobId> finalizedOrder = new ArrayDeque<>();

	private final CopyOnWriteArrayList<GlobalSubscription> subscriptions = new CopyOnWriteArrayList<>();

	private volatile @Nullable ScheduledExecutorService scheduler;

	private volatile @Nullable Thread shutdownHook;

	/** Whether a JVM shutdown hook kills what is left at JVM exit (off when an owner such as Spring shuts down). */
	private final boolean killAtJvmExit;

	/**
	 * Creates the runtime and recovers jobs this node left active in the store; a JVM shutdown hook kills the process
	 * groups of jobs still active when the JVM exits before the runtime was shut down.
	 * @param settings the settings
	 */
	public DefaultExecraRuntime(ExecraSettings settings) {
		this(settings, true);
	}

	/**
	 * Creates the runtime and recovers jobs this node left active in the store.
	 * @param settings the settings
	 * @param killAtJvmExit whether a JVM shutdown hook kills the process groups of jobs still active when the JVM
	 * exits before the runtime was shut down
	 */
	public DefaultExecraRuntime(ExecraSettings settings, boolean killAtJvmExit) {
		this.settings = settings;
		this.killAtJvmExit = killAtJvmExit;
		this.listeners = new Listeners(settings.listeners());
		// Platform threads even when virtual threads are asked for: a job's threads spend their lives in blocking
		// reads of process pipes (plain file descriptors, not selectable by the JDK), which pin a virtual thread's
		// carrier; past the scheduler's 256 carriers, jobs stopped starting and the runtime hung.
		this.jobThreads = Threads.executor("execra-job-", false);
		this.serviceThreads = Threads.factory("execra-", false);
		this.deliveryThreads = Threads.factory("execra-delivery-", settings.virtualThreads());
		this.signaller = new ProcessSignaller(this.launcher.usesProcessGroups(), this.serviceThreads);
		this.storeWriter = new StoreWriter(settings.store(), settings.storeWrites().bufferCapacity(),
				this.serviceThreads, this.listeners);
		checkOutputDirectory(settings.rawOutput().directory());
		killLeftovers(recoverStranded(true));
		if (settings.store().isShared()) {
			// other nodes judge this one by its heartbeat: it must beat from the start, not from the first job
			this.admission.lock();
			try {
				ensureScheduler();
			}
			finally {
				this.admission.unlock();
			}
		}
	}

	/**
	 * Kills processes that jobs of this node, stranded by a crash of its previous run, left running: only where
	 * the process with the job's pid started when the job did (so a recycled pid is never touched), and the
	 * processes that carry the job's mark.
	 */
	private void killLeftovers(List<Job> stranded) {
		List<ProcessHandle> leftovers = new ArrayList<>();
		List<String> jobIds = new ArrayList<>();
		for (Job job : stranded) {
			if (job.pid() == null || job.startedAt() == null || !job.node().equals(this.settings.nodeId())) {
				continue;
			}
			jobIds.add(job.id().toString());
			Instant startedAt = job.startedAt();
			ProcessHandle.of(job.pid())
				.filter((process) -> process.info()
					.startInstant()
					.map((start) -> Duration.between(start, startedAt).abs().compareTo(Duration.ofSeconds(2)) <= 0)
					.orElse(false))
				.ifPresent(leftovers::add);
		}
		if (!leftovers.isEmpty()) {
			logger.warn("Killing {} process groups left running by jobs of this node's previous run: {}",
					leftovers.size(), leftovers.stream().map(ProcessHandle::pid).toList());
		}
		this.signaller.killNow(leftovers, jobIds);
	}

	private static void checkOutputDirectory(@Nullable Path directory) {
		if (directory == null) {
			return;
		}
		try {
			java.nio.file.Files.createDirectories(directory);
		}
		catch (java.io.IOException | RuntimeException ex) {
			throw new IllegalArgumentException("'outputDirectory' " + directory + " cannot be created: " + ex, ex);
		}
		if (!java.nio.file.Files.isDirectory(directory) || !java.nio.file.Files.isWritable(directory)) {
			throw new IllegalArgumentException("'outputDirectory' " + directory + " is not a writable directory");
		}
	}

	private List<Job> recoverStranded(boolean restarted) {
		Instant now = clock().instant();
		try {
			this.settings.store().heartbeat(this.settings.nodeId(), now);
			List<Job> recovered = this.settings.store()
				.recoverStranded(this.settings.nodeId(), restarted, now.minus(this.settings.staleNodeTimeout()), now);
			if (!recovered.isEmpty()) {
				logger.warn("Finalized {} stranded jobs as host-exited: {}", recovered.size(),
						recovered.stream().map(Job::id).toList());
			}
			return recovered;
		}
		catch (RuntimeException ex) {
			logger.warn("Could not recover stranded jobs from the store: {}", ex.toString());
			return List.of();
		}
	}

	// ---- spawn ---------------------------------------------------------------------------------------------

	@Override
	public JobHandle spawn(Command command) {
		if (!this.accepting) {
			throw new JobRejectedException("Job rejected: the runtime is shutting down (" + command.program() + ")");
		}
		Map<String, String> environment = command
			.environment(this.settings.securityPolicy().inheritedEnvironment(System.getenv()));
		// before the policy's checks, whose patterns would scan an argument of any length
		command = CommandLimits.admit(command, environment);
		String rejection = this.settings.securityPolicy().rejectionReason(command, resolveQuietly(command, environment));
		if (rejection != null) {
			throw new JobRejectedException("Job rejected: " + rejection);
		}
		CommandSpec spec = this.settings.securityPolicy().redactedSpec(command);
		JobDriver driver = new JobDriver(this, JobId.generate(clock()), command, spec, environment,
				this.settings.effectiveTimeout(command));
		boolean startNow;
		this.admission.lock();
		try {
			if (this.running < this.settings.maxConcurrent()) {
				this.running++;
				this.permitted.add(driver);
				startNow = true;
			}
			else if (this.queue.size() < this.settings.queueCapacity()) {
				this.queue.add(driver);
				startNow = false;
			}
			else {
				throw new JobRejectedException("Job rejected: the queue is full (" + this.queue.size()
						+ " jobs waiting, queue-capacity " + this.settings.queueCapacity() + "; " + this.running
						+ " running, max-concurrent " + this.settings.maxConcurrent() + "): " + spec.commandLine());
			}
			// created under the admission lock, so a queued job cannot start before JobCreated; made visible
			// (cancel, queries) only after that, so no other thread holds its lock while we hold this one
			ensureScheduler();
			driver.created();
			this.jobs.put(driver.id, driver);
		}
		finally {
			this.admission.unlock();
		}
		this.listeners.jobCreated(driver.snapshot());
		if (startNow) {
			start(driver);
		}
		return new DefaultJobHandle(driver, this);
	}

	private @Nullable Path resolveQuietly(Command command, Map<String, String> environment) {
		if (this.settings.securityPolicy().allowedPrograms().isEmpty()) {
			return null;
		}
		try {
			return this.launcher.resolve(command, environment);
		}
		catch (ProcessLauncher.SpawnException ex) {
			return null;
		}
	}

	@Override
	public JobHandle spawn(String preset, Map<String, String> parameters) {
		CommandTemplate template = this.settings.presets().get(preset);
		if (template == null) {
			throw new IllegalArgumentException(
					"Unknown preset '" + preset + "' (known presets: " + this.settings.presets().keySet() + ")");
		}
		return spawn(template.render(parameters));
	}

	@Override
	public Map<String, CommandTemplate> presets() {
		return this.settings.presets();
	}

	private void start(JobDriver driver) {
		this.jobThreads.execute(driver::run);
	}

	/** Removes a queued job from the queue; returns whether it was there (it then never starts). */
	boolean dequeue(JobDriver driver) {
		this.admission.lock();
		try {
			return this.queue.remove(driver);
		}
		finally {
			this.admission.unlock();
		}
	}

	/** A job no longer needs its permit: start the next queued job. */
	void released(JobDriver driver) {
		if (!this.permitted.remove(driver)) {
			return;
		}
		JobDriver next;
		this.admission.lock();
		try {
			next = this.queue.poll();
			if (next != null) {
				this.permitted.add(next);
			}
			else {
				this.running--;
			}
		}
		finally {
			this.admission.unlock();
		}
		if (next != null) {
			start(next);
		}
	}

	/** A job was finalized: keep it in memory within the bound. */
	void finalized(JobDriver driver) {
		synchronized (this.finalizedOrder) {
			this.finalizedOrder.add(driver.id);
			while (this.finalizedOrder.size() > this.settings.maxInMemoryJobs()) {
				this.jobs.remove(this.finalizedOrder.poll());
			}
		}
	}

	@Override
	public void forget(java.util.Collection<JobId> ids) {
		synchronized (this.finalizedOrder) {
			for (JobId id : ids) {
				JobDriver driver = this.jobs.get(id);
				if (driver != null && !driver.isActive()) {
					this.jobs.remove(id);
					this.finalizedOrder.remove(id);
				}
			}
		}
	}

	// ---- shared services -------------------------------------------------------------------------------------

	private void ensureScheduler() {
		if (this.scheduler == null) {
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
					Threads.factory("execra-scheduler-", false));
			executor.setRemoveOnCancelPolicy(true);
			executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(true);
			executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
			long heartbeat = this.settings.heartbeatInterval().toMillis();
			if (this.settings.store().isShared()) {
				executor.scheduleWithFixedDelay(() -> recoverStranded(false), heartbeat, heartbeat,
						TimeUnit.MILLISECONDS);
			}
			this.scheduler = executor;
			if (this.killAtJvmExit) {
				addShutdownHook();
			}
		}
	}

	/** Kills the process groups of these jobs and their processes outside them, on the calling thread. */
	private void killNow(List<JobDriver> drivers) {
		List<ProcessHandle> leaders = new ArrayList<>();
		List<String> jobIds = new ArrayList<>();
		for (JobDriver driver : drivers) {
			ProcessHandle leader = driver.processHandle();
			if (leader != null) {
				leaders.add(leader);
				jobIds.add(driver.id.toString());
			}
		}
		this.signaller.killNow(leaders, jobIds);
	}

	/** When the JVM exits without closing the runtime, the process groups of active jobs are killed. */
	private void addShutdownHook() {
		Thread hook = new Thread(() -> killNow(this.jobs.values().stream().filter(JobDriver::isActive).toList()),
				"execra-shutdown-hook");
		try {
			Runtime.getRuntime().addShutdownHook(hook);
			this.shutdownHook = hook;
		}
		catch (IllegalStateException ex) {
			// the JVM is already exiting
		}
	}

	private void removeShutdownHook() {
		Thread hook = this.shutdownHook;
		if (hook != null) {
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			}
			catch (IllegalStateException ex) {
				// the JVM is already exiting
			}
		}
	}

	ScheduledExecutorService scheduler() {
		ScheduledExecutorService current = this.scheduler;
		if (current == null) {
			this.admission.lock();
			try {
				ensureScheduler();
				current = this.scheduler;
			}
			finally {
				this.admission.unlock();
			}
		}
		return current;
	}

	/**
	 * Schedules periodic work on execra's own scheduler thread (used by integrations, e.g. retention). The thread
	 * also fires timeouts and kill escalations: a task must return quickly, doing long work in slices.
	 * @param task the task
	 * @param interval the interval
	 * @return the schedule, to cancel it
	 */
	public java.util.concurrent.ScheduledFuture<?> schedulePeriodic(Runnable task, Duration interval) {
		long millis = Durations.millis(interval);
		return scheduler().scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
	}

	/** @return whether any global subscription is open, to be given the events published from now on */
	boolean hasSubscriptions() {
		return !this.subscriptions.isEmpty();
	}

	void publish(Event event) {
		for (GlobalSubscription subscription : this.subscriptions) {
			subscription.offer(event);
		}
	}

	/**
	 * Publishes events of one job, in order, taking each subscription's lock once.
	 * @param events {@link Event}s, and {@link UndecodedLine}s for lines left undecoded
	 */
	void publish(List<Object> events) {
		for (GlobalSubscription subscription : this.subscriptions) {
			subscription.offer(events);
		}
	}

	Clock clock() {
		return this.settings.clock();
	}

	Listeners listeners() {
		return this.listeners;
	}

	ProcessLauncher launcher() {
		return this.launcher;
	}

	ProcessSignaller signaller() {
		return this.signaller;
	}

	StoreWriter storeWriter() {
		return this.storeWriter;
	}

	java.util.concurrent.Executor jobThreads() {
		return this.jobThreads;
	}

	// ---- queries -----------------------------------------------------------------------------------------------

	@Override
	public boolean cancel(JobId id) {
		JobDriver driver = this.jobs.get(id);
		if (driver != null) {
			return driver.cancel();
		}
		Optional<Job> stored = this.settings.store().find(id);
		if (stored.isPresent()) {
			return false;
		}
		throw new UnknownJobException(id);
	}

	@Override
	public Optional<JobHandle> handle(JobId id) {
		JobDriver driver = this.jobs.get(id);
		return (driver != null) ? Optional.of(new DefaultJobHandle(driver, this)) : Optional.empty();
	}

	@Override
	public Optional<Job> job(JobId id) {
		JobDriver driver = this.jobs.get(id);
		if (driver != null) {
			return Optional.of(driver.snapshot());
		}
		return this.settings.store().find(id);
	}

	@Override
	public List<Job> recent(int n) {
		return this.jobs.values()
			.stream()
			.sorted(Comparator.comparing((JobDriver d) -> d.createdAt).thenComparing((d) -> d.id).reversed())
			.limit(Math.max(0, n))
			.map(JobDriver::snapshot)
			.toList();
	}

	@Override
	public List<JobId> running() {
		return this.jobs.values()
			.stream()
			.filter((d) -> {
				JobState state = d.state();
				return state == JobState.QUEUED || state == JobState.RUNNING;
			})
			.sorted(Comparator.comparing((JobDriver d) -> d.createdAt).thenComparing((d) -> d.id))
			.map((d) -> d.id)
			.toList();
	}

	@Override
	public JobsQuery jobs() {
		return new JobsQuery(this::list, this::count);
	}

	private List<Job> list(JobQuery query) {
		flushStore();
		List<Job> stored = this.settings.store().query(query);
		List<Job> result = new ArrayList<>(stored.size());
		for (Job job : stored) {
			JobDriver live = this.jobs.get(job.id());
			result.add((live != null) ? live.snapshot() : job);
		}
		return result;
	}

	private long count(JobQuery query) {
		flushStore();
		return this.settings.store().count(query);
	}

	private void flushStore() {
		if (!this.storeWriter.flush(this.settings.storeWrites().writeTimeout())) {
			Throwable failure = this.storeWriter.lastFailure();
			throw new StoreException("The job store did not catch up within "
					+ this.settings.storeWrites().writeTimeout() + ((failure != null) ? ": " + failure : ""),
					(failure != null) ? failure : null);
		}
	}

	@Override
	public List<Event> events(JobId id, long afterSeq, int limit) {
		JobDriver driver = this.jobs.get(id);
		if (driver != null) {
			List<Event> events = new ArrayList<>();
			driver.lock.lock();
			try {
				long first = driver.eventLog.firstSeq();
				long last = driver.lastSeq();
				if (afterSeq >= first - 1) {
					// min first: afterSeq + 1 would wrap past Long.MAX_VALUE
					for (long seq = Math.min(afterSeq, last) + 1; seq <= last && events.size() < limit; seq++) {
						Event event = driver.eventLog.getUnlessOutput(seq);
						if (event != null) {
							events.add(event);
						}
					}
					return events;
				}
			}
			finally {
				driver.lock.unlock();
			}
		}
		flushStore();
		return this.settings.store().events(id, afterSeq, limit);
	}

	@Override
	public EventStream subscribe() {
		GlobalSubscription[] holder = new GlobalSubscription[1];
		holder[0] = new GlobalSubscription(this.settings.subscriberBufferSize(),
				this.settings.subscriberBufferMaxBytes(), clock(), this.deliveryThreads,
				() -> this.subscriptions.remove(holder[0]), (n) -> {
					this.listeners.eventsLagged(n);
				});
		this.subscriptions.add(holder[0]);
		return holder[0];
	}

	@Override
	public EventStream subscribe(JobId id) {
		JobDriver driver = this.jobs.get(id);
		if (driver != null) {
			return streamOf(driver, 0);
		}
		if (this.settings.store().find(id).isEmpty()) {
			throw new UnknownJobException(id);
		}
		return new StoredEventStream(this.settings.store().events(id, 0, Integer.MAX_VALUE), this.deliveryThreads);
	}

	EventStream streamOf(JobDriver driver, long afterSeq) {
		return new JobEventStream(driver, afterSeq, this.deliveryThreads, () -> this.listeners.eventsLagged(1));
	}

	@Override
	public OutputPage output(JobId id, long afterSeq, int maxBytes, Duration wait) throws InterruptedException {
		JobDriver driver = this.jobs.get(id);
		if (driver != null) {
			return driver.output(afterSeq, maxBytes, wait);
		}
		Optional<Job> stored = this.settings.store().find(id);
		if (stored.isEmpty()) {
			throw new UnknownJobException(id);
		}
		return OutputLogReader.read(this.settings.rawOutput().directory(), stored.get(), afterSeq, maxBytes);
	}

	@Override
	public RuntimeStats stats() {
		this.admission.lock();
		try {
			return new RuntimeStats(this.running, this.queue.size(), this.settings.maxConcurrent(),
					this.settings.queueCapacity(), this.accepting);
		}
		finally {
			this.admission.unlock();
		}
	}

	@Override
	public ExecraSettings settings() {
		return this.settings;
	}

	/** @return the last store write failure, or {@code null} when the store is keeping up */
	public @Nullable Throwable storeFailure() {
		return this.storeWriter.lastFailure();
	}

	/** @return snapshots and events waiting to be written to the store */
	public int storeBacklog() {
		return this.storeWriter.backlog();
	}

	// ---- shutdown ------------------------------------------------------------------------------------------------

	@Override
	public void shutdown(Duration timeout) throws InterruptedException {
		this.accepting = false;
		long deadline = System.nanoTime() + Durations.nanos(timeout);
		awaitIdle(deadline);
		List<JobDriver> active = this.jobs.values().stream().filter(JobDriver::isActive).toList();
		if (!active.isEmpty()) {
			logger.info("Cancelling {} jobs still active at shutdown", active.size());
			long cancelledAt = System.nanoTime();
			active.forEach(JobDriver::cancel);
			Duration settle = this.settings.cancelGracePeriod()
				.plus(this.settings.drainGracePeriod())
				.plus(this.settings.storeWrites().writeTimeout())
				.plusSeconds(1);
			awaitIdle(System.nanoTime() + settle.toNanos());
			// leaders may be gone while TERM-ignoring descendants live on: they get KILL once the grace is over
			long graceLeft = cancelledAt + this.settings.cancelGracePeriod().toNanos() - System.nanoTime();
			if (graceLeft > 0) {
				TimeUnit.NANOSECONDS.sleep(graceLeft);
			}
			killNow(active);
		}
		this.storeWriter.stop(this.settings.storeWrites().writeTimeout());
		this.signaller.stop();
		this.subscriptions.forEach(GlobalSubscription::finish);
		ScheduledExecutorService current = this.scheduler;
		if (current != null) {
			current.shutdown();
		}
		Threads.endIdleThreads(this.jobThreads);
		removeShutdownHook();
	}

	private void awaitIdle(long deadlineNanos) throws InterruptedException {
		for (JobDriver driver : List.copyOf(this.jobs.values())) {
			long left = deadlineNanos - System.nanoTime();
			if (left <= 0) {
				return;
			}
			try {
				driver.outcome().get(left, TimeUnit.NANOSECONDS);
			}
			catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException ex) {
				return;
			}
		}
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
