package io.execra.autoconfigure.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.execra.ExecraRuntime;
import io.execra.internal.job.DefaultExecraRuntime;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Runs retention sweeps every {@code execra.retention.interval} on execra's own scheduler thread (that of the default
 * runtime, through {@link DefaultExecraRuntime#schedulePeriodic}), so the application needs no
 * {@code @EnableScheduling}. The thread also fires job timeouts and kill escalations, so a sweep runs in slices of
 * about {@value #SLICE_MILLIS} ms, one per tick, rather than at once. Nothing is scheduled when every rule of the
 * policy is off. Only a runtime that is not execra's own implementation gets a thread of the scheduler's own.
 */
public class ExecraRetentionScheduler implements SmartLifecycle {

	/** Work done per tick while a sweep is in progress. */
	static final long SLICE_MILLIS = 100;

	/** Ticks are at most this far apart. */
	static final Duration MAX_TICK = Duration.ofMillis(250);

	private static final Log logger = LogFactory.getLog(ExecraRetentionScheduler.class);

	private final ExecraRetentionCleaner cleaner;

	private final Supplier<Map<String, ExecraRuntime>> runtimes;

	private final Duration interval;

	private final Clock clock;

	private volatile boolean running;

	private volatile boolean sweeping;

	private volatile @Nullable Instant nextSweep;

	private @Nullable ScheduledExecutorService ownExecutor;

	private volatile java.util.concurrent.@Nullable ScheduledFuture<?> schedule;

	/**
	 * Creates a scheduler.
	 * @param cleaner the cleaner that sweeps
	 * @param runtimes the runtimes, by name, whose scheduler runs the sweeps
	 * @param interval time between the end of a sweep and the start of the next
	 * @param clock the clock
	 */
	public ExecraRetentionScheduler(ExecraRetentionCleaner cleaner, Supplier<Map<String, ExecraRuntime>> runtimes,
			Duration interval, Clock clock) {
		this.cleaner = cleaner;
		this.runtimes = runtimes;
		this.interval = interval;
		this.clock = clock;
	}

	@Override
	public void start() {
		RetentionPolicy policy = this.cleaner.policy();
		if (!policy.deletesAnything() || this.interval.isZero() || this.interval.isNegative()) {
			logger.info("execra retention is off: every rule is zero or the interval is " + this.interval);
			return;
		}
		this.running = true;
		this.nextSweep = this.clock.instant();
		Duration tick = (this.interval.compareTo(MAX_TICK) < 0) ? this.interval : MAX_TICK;
		DefaultExecraRuntime runtime = this.runtimes.get()
			.values()
			.stream()
			.filter(DefaultExecraRuntime.class::isInstance)
			.map(DefaultExecraRuntime.class::cast)
			.findFirst()
			.orElse(null);
		if (runtime != null) {
			this.schedule = runtime.schedulePeriodic(this::tick, tick);
		}
		else {
			ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "execra-retention");
				thread.setDaemon(true);
				return thread;
			});
			executor.scheduleWithFixedDelay(this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
			this.ownExecutor = executor;
		}
		logger.info("execra retention sweeps every " + this.interval + ": max-age " + policy.maxAge()
				+ ", failed-max-age " + policy.failedMaxAge() + ", max-jobs " + policy.maxJobs() + ", keep-tag "
				+ policy.keepTag() + ", output-files-max-age " + policy.outputFilesMaxAge() + ", batch-size "
				+ policy.batchSize());
	}

	/** Runs one slice of a sweep when one is due or in progress; never throws (that would cancel the task). */
	void tick() {
		if (!this.running) {
			return;
		}
		try {
			Instant next = this.nextSweep;
			if (!this.sweeping && (next == null || this.clock.instant().isBefore(next))) {
				return;
			}
			this.sweeping = true;
			RetentionSweepResult result = this.cleaner.step(Duration.ofMillis(SLICE_MILLIS));
			if (result != null) {
				this.sweeping = false;
				Instant now = this.clock.instant();
				// an interval reaching past Instant.MAX means no further sweep; plus would throw
				this.nextSweep = (this.interval.compareTo(Duration.between(now, Instant.MAX)) >= 0) ? Instant.MAX
						: now.plus(this.interval);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("execra retention tick failed", ex);
		}
	}

	/**
	 * When the next sweep is due.
	 * @return the time, or {@code null} when no sweep is scheduled
	 */
	public @Nullable Instant nextSweep() {
		return this.running ? this.nextSweep : null;
	}

	@Override
	public void stop() {
		this.running = false;
		java.util.concurrent.ScheduledFuture<?> scheduled = this.schedule;
		if (scheduled != null) {
			scheduled.cancel(false);
			this.schedule = null;
		}
		ScheduledExecutorService executor = this.ownExecutor;
		if (executor != null) {
			executor.shutdownNow();
			this.ownExecutor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// stops before the runtimes (a lower phase), which shut their scheduler down
		return SmartLifecycle.DEFAULT_PHASE;
	}

}
