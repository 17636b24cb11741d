package io.execra.internal.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.execra.ExecraSettings;
import io.execra.internal.Durations;
import io.execra.internal.process.ProcessSignaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the jobs still active end when their runtime does: at shutdown they may finish within the timeout, then are
 * cancelled and, once the cancel grace is over, killed; at JVM exit without a shutdown they are killed at once.
 */
final class JobsShutdown {

	private static final Logger logger = LoggerFactory.getLogger(JobsShutdown.class);

	private final ExecraSettings settings;

	private final JobRegistry registry;

	private final ProcessSignaller signaller;

	/**
	 * @param settings the runtime's settings: the cancel and drain grace periods, the store write timeout
	 * @param registry the jobs in memory
	 * @param signaller kills process groups
	 */
	JobsShutdown(ExecraSettings settings, JobRegistry registry, ProcessSignaller signaller) {
		this.settings = settings;
		this.registry = registry;
		this.signaller = signaller;
	}

	/**
	 * Waits for the active jobs to finish, cancels those still active after the timeout, and kills what is left of
	 * them once the cancel grace is over. The caller no longer admits jobs.
	 * @param timeout how long the jobs may take to finish by themselves
	 * @throws InterruptedException if interrupted while waiting
	 */
	void drain(Duration timeout) throws InterruptedException {
		awaitIdle(System.nanoTime() + Durations.nanos(timeout));
		List<JobDriver> active = this.registry.active();
		if (active.isEmpty()) {
			return;
		}
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

	/** Kills the process groups of the active jobs, on the calling thread: the JVM exits without a shutdown. */
	void killActive() {
		killNow(this.registry.active());
	}

	private void awaitIdle(long deadlineNanos) throws InterruptedException {
		for (JobDriver driver : this.registry.all()) {
			long left = deadlineNanos - System.nanoTime();
			if (left <= 0) {
				return;
			}
			try {
				driver.outcome().get(left, TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException | ExecutionException ex) {
				return;
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
				jobIds.add(driver.id().toString());
			}
		}
		this.signaller.killNow(leaders, jobIds);
	}

}
