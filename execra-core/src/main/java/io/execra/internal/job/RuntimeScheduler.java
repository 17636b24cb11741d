package io.execra.internal.job;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.execra.internal.Threads;
import org.jspecify.annotations.Nullable;

/**
 * Execra's scheduler thread (timeouts, kill escalations, the heartbeat), created on first use: a runtime that never
 * runs a job starts no thread. With the thread come the node's heartbeat and the JVM exit hook, both needed only
 * once there are jobs (or, for the heartbeat on a shared store, from the start).
 */
final class RuntimeScheduler {

	private final Duration heartbeatInterval;

	private final @Nullable Runnable heartbeat;

	private final @Nullable Runnable atJvmExit;

	private volatile @Nullable ScheduledExecutorService scheduler;

	private @Nullable Thread exitHook;

	/**
	 * @param heartbeatInterval the interval of the heartbeat
	 * @param heartbeat what each heartbeat does, or {@code null} for none
	 * @param atJvmExit what a JVM shutdown hook does when the JVM exits before {@link #shutdown()}, or {@code null}
	 * for no hook
	 */
	RuntimeScheduler(Duration heartbeatInterval, @Nullable Runnable heartbeat, @Nullable Runnable atJvmExit) {
		this.heartbeatInterval = heartbeatInterval;
		this.heartbeat = heartbeat;
		this.atJvmExit = atJvmExit;
	}

	/** @return the scheduler, created with the heartbeat and the exit hook on the first call */
	ScheduledExecutorService get() {
		ScheduledExecutorService current = this.scheduler;
		if (current != null) {
			return current;
		}
		synchronized (this) {
			current = this.scheduler;
			if (current == null) {
				current = create();
				this.scheduler = current;
			}
			return current;
		}
	}

	private ScheduledExecutorService create() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
				Threads.factory("execra-scheduler-", false));
		executor.setRemoveOnCancelPolicy(true);
		executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(true);
		executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
		if (this.heartbeat != null) {
			long millis = this.heartbeatInterval.toMillis();
			executor.scheduleWithFixedDelay(this.heartbeat, millis, millis, TimeUnit.MILLISECONDS);
		}
		if (this.atJvmExit != null) {
			addExitHook(this.atJvmExit);
		}
		return executor;
	}

	private void addExitHook(Runnable action) {
		Thread hook = new Thread(action, "execra-shutdown-hook");
		try {
			Runtime.getRuntime().addShutdownHook(hook);
			this.exitHook = hook;
		}
		catch (IllegalStateException ex) {
			// the JVM is already exiting
		}
	}

	/**
	 * Stops the scheduler once the delayed tasks already scheduled have run (periodic ones stop now), and removes
	 * the exit hook: the runtime is shut down.
	 */
	void shutdown() {
		ScheduledExecutorService current = this.scheduler;
		if (current != null) {
			current.shutdown();
		}
		Thread hook;
		synchronized (this) {
			hook = this.exitHook;
		}
		if (hook != null) {
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			}
			catch (IllegalStateException ex) {
				// the JVM is already exiting
			}
		}
	}

}
