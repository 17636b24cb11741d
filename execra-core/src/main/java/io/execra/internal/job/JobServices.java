package io.execra.internal.job;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import io.execra.ExecraSettings;
import io.execra.internal.delivery.EventFanOut;
import io.execra.internal.delivery.Listeners;
import io.execra.internal.process.ProcessLauncher;
import io.execra.internal.process.ProcessSignaller;
import io.execra.internal.store.StoreWriter;

/**
 * What every job of a runtime shares, handed to each job's driver instead of the runtime itself.
 *
 * @param settings the runtime's settings
 * @param jobThreads the threads that run jobs and pump their output
 * @param scheduler execra's scheduler thread (timeouts, kill escalations), created on first use
 * @param launcher starts processes
 * @param signaller signals process groups
 * @param storeWriter writes snapshots and events to the store off the job's path
 * @param listeners the runtime's listeners
 * @param fanOut the all-jobs subscriptions
 */
record JobServices(ExecraSettings settings, Executor jobThreads, Supplier<ScheduledExecutorService> scheduler,
		ProcessLauncher launcher, ProcessSignaller signaller, StoreWriter storeWriter, Listeners listeners,
		EventFanOut fanOut) {

	Clock clock() {
		return this.settings.clock();
	}

}
