package io.execra.internal.job;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import io.execra.Command;
import io.execra.JobId;
import io.execra.internal.process.MarkedProcesses;
import io.execra.internal.process.ProcessLauncher;
import io.execra.internal.process.ProcessLauncher.PreparedStart;
import org.jspecify.annotations.Nullable;

/**
 * Starts a job's process, its start prepared ahead where it can be: a job first in the queue is prepared while the
 * job before it runs (its program resolved, its arguments and environment laid out), so that when that job ends the
 * next spawn follows with little in between. {@link #start()} is called under the job's lock; the preparation takes
 * it.
 */
final class JobLaunch {

	private final ProcessLauncher launcher;

	private final JobId id;

	private final Command command;

	private final Map<String, String> environment;

	private final ReentrantLock lock;

	/** Whether the job still waits to start, read under its lock. */
	private final BooleanSupplier waiting;

	/** The start prepared ahead, until the job starts; guarded by the job's lock. */
	private @Nullable PreparedStart prepared;

	/**
	 * @param launcher starts the process
	 * @param id the job, whose id marks the process's environment
	 * @param command the command
	 * @param environment the job's environment
	 * @param lock the job's lock
	 * @param waiting whether the job still waits to start (neither started nor cancelled), read under the lock
	 */
	JobLaunch(ProcessLauncher launcher, JobId id, Command command, Map<String, String> environment,
			ReentrantLock lock, BooleanSupplier waiting) {
		this.launcher = launcher;
		this.id = id;
		this.command = command;
		this.environment = environment;
		this.lock = lock;
		this.waiting = waiting;
	}

	/**
	 * Prepares the start ahead, once, if the job still waits; a start that cannot be prepared is left to
	 * {@link #start()}, which says why.
	 */
	void prepareAhead() {
		this.lock.lock();
		try {
			if (this.prepared != null || !this.waiting.getAsBoolean()) {
				return;
			}
			this.prepared = prepare();
		}
		catch (ProcessLauncher.SpawnException | IOException | RuntimeException ex) {
			// the start prepares it again and fails with this error, as a job that was not prepared ahead would
		}
		finally {
			this.lock.unlock();
		}
	}

	/** @return whether a start is prepared ahead and not used yet */
	boolean prepared() {
		this.lock.lock();
		try {
			return this.prepared != null;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Starts the process, from the start prepared ahead if there is one.
	 * @return the process
	 * @throws ProcessLauncher.SpawnException naming the program and the error
	 * @throws IOException if the operating system refuses
	 */
	Process start() throws ProcessLauncher.SpawnException, IOException {
		PreparedStart start = (this.prepared != null) ? this.prepared : prepare();
		this.prepared = null;
		return this.launcher.start(start);
	}

	private PreparedStart prepare() throws ProcessLauncher.SpawnException, IOException {
		return this.launcher.prepare(this.command, MarkedProcesses.mark(this.environment, this.id));
	}

}
