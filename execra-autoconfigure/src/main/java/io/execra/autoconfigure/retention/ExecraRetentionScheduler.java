package io.execra.autoconfigure.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Runs retention sweeps every {@code execra.retention.interval} on a daemon thread of its own,
 * {@value #THREAD_NAME}, so the application needs no {@code @EnableScheduling}; the thread ends when the scheduler
 * stops with the application context. A sweep runs in slices of about {@value #SLICE_MILLIS} ms, one per tick, so
 * that stopping waits for a slice, not for a whole sweep. Nothing is scheduled when every rule of the policy is off.
 */
public class ExecraRetentionScheduler implements SmartLifecycle {

	/** Work done per tick while a sweep is in progress. */
	static final long SLICE_MILLIS = 100;

	/** Ticks are at most this far apart. */
	static final Duration MAX_TICK = Duration.ofMillis(250);

	/** The name of the thread that runs the sweeps. */
	static final String THREAD_NAME = "execra-retention";

	/** How long {@link #stop()} waits for a slice in progress to end: ten slices. */
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(1);

	private static final Log logger = LogFactory.getLog(ExecraRetentionScheduler.class);

	private final ExecraRetentionCleaner cleaner;

	private final Duration interval;

	private final Clock clock;

	private volatile boolean running;

	private volatile boolean sweeping;

	private volatile @Nullable Instant nextSweep;

	private @Nullable ScheduledExecutorService executor;

	/**
	 * Creates a scheduler.
	 * @param cleaner the cleaner that sweeps
	 * @param interval time between the end of a sweep and the start of the next
	 * @param clock the clock
	 */
	public ExecraRetentionScheduler(ExecraRetentionCleaner cleaner, Duration interval, Clock clock) {
		this.cleaner = cleaner;
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
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, THREAD_NAME);
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
		this.executor = executor;
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
		ScheduledExecutorService executor = this.executor;
		if (executor == null) {
			return;
		}
		this.executor = null;
		// no interrupt: a slice in progress holds a store transaction, let it end before the data source closes
		executor.shutdown();
		try {
			if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("execra retention slice still running after " + STOP_TIMEOUT + "; interrupting it");
				executor.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			executor.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// stops before the runtimes (a lower phase) and the stores they write to
		return SmartLifecycle.DEFAULT_PHASE;
	}

}
