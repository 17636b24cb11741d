package io.execra.internal.job;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.execra.ExitStatus;
import io.execra.JobId;
import io.execra.internal.Durations;
import io.execra.internal.delivery.Listeners;
import io.execra.internal.process.OutputPipes;
import io.execra.internal.process.ProcessSignaller;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's started process, and the join of its exit with the end of its output: the job's exit is announced, and
 * the job finalized, once the process exited and both streams ended; when something keeps the pipes open past the
 * drain grace, the process group is killed and the pipes given up on. Signals the process for the driver. Its
 * methods take the job's lock themselves, but for {@link #exitObserved}, called under it.
 */
final class JobProcess {

	private static final Logger logger = LoggerFactory.getLogger(JobProcess.class);

	/** Time after the drain-grace kill before pumps still blocked are abandoned. */
	private static final Duration ABANDON_AFTER_KILL = Duration.ofMillis(500);

	/** How long the drain-grace kill may take before the job is abandoned all the same (a stopped signaller). */
	private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

	/** How long the job's thread waits for the exit after stdout ended, before leaving it to onExit. */
	private static final Duration EXIT_AFTER_STDOUT = Duration.ofMillis(100);

	/** What the process tells its job. Every method is called under the job's lock. */
	interface Ending {

		/** The process exited; its output may still be draining. */
		void exitObserved();

		/**
		 * The output is drained, or the drain grace expired: the exit is announced, once.
		 * @param status the exit
		 */
		void announceExit(ExitStatus status);

		/** @return whether the job is finalizing */
		boolean finalizing();

		/** Finalizes the job, releasing the lock. */
		void finalizeLocked();

	}

	private final JobId id;

	private final ReentrantLock lock;

	private final Process process;

	private final OutputPipes outputPipes;

	private final ProcessSignaller signaller;

	private final Listeners listeners;

	private final Supplier<ScheduledExecutorService> scheduler;

	private final Duration drainGracePeriod;

	private final OutputPump pump;

	private final Ending ending;

	/** The exit as seen by the JDK, before Exited is announced. Guarded by the lock. */
	private @Nullable ExitStatus observedExit;

	/** Guarded by the lock. */
	private int openStreams = 2;

	/** Kills the job once its timeout passed; guarded by the lock. */
	private @Nullable ScheduledFuture<?> timeoutTask;

	/**
	 * @param id the job
	 * @param lock the job's lock
	 * @param process the process, just started
	 * @param services the signaller, listeners, scheduler and settings of the runtime
	 * @param pump pumps the process's output
	 * @param ending the job told of the exit
	 */
	JobProcess(JobId id, ReentrantLock lock, Process process, JobServices services, OutputPump pump, Ending ending) {
		this.id = id;
		this.lock = lock;
		this.process = process;
		// the event loop is given up on by closing its descriptors (OutputPump#release): no thread blocks in a read
		// that a byte would have to wake, so the pipes are not looked up (two /proc reads per job)
		this.outputPipes = services.launcher().pumpsOnEventLoop() ? OutputPipes.none() : OutputPipes.of(process);
		this.signaller = services.signaller();
		this.listeners = services.listeners();
		this.scheduler = services.scheduler();
		this.drainGracePeriod = services.settings().drainGracePeriod();
		this.pump = pump;
		this.ending = ending;
	}

	ProcessHandle handle() {
		return this.process.toHandle();
	}

	/** @return whether the process exited. Call under the lock. */
	boolean exitObserved() {
		return this.observedExit != null;
	}

	/**
	 * Times the job out, unless the process exits first. Call under the lock.
	 * @param timeout the job's timeout
	 * @param timedOut what the job does once it passed
	 */
	void timeoutAfter(Duration timeout, Runnable timedOut) {
		this.timeoutTask = this.scheduler.get().schedule(timedOut, Durations.nanos(timeout), TimeUnit.NANOSECONDS);
	}

	/** Watches for the exit: the JDK's {@code onExit}, and after stdout ended, {@link #awaitExitBriefly}. */
	void watchExit() {
		this.process.onExit().whenComplete((p, ex) -> exited());
	}

	/**
	 * When stdout ends the process has usually exited: notice it on this thread, woken by the JDK's reaper, rather
	 * than after {@code onExit()}'s hop to another thread (a new thread per job where the common pool has a
	 * single worker). {@code onExit()} still covers a process that outlives its stdout.
	 */
	void awaitExitBriefly() {
		try {
			if (this.process.waitFor(EXIT_AFTER_STDOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				exited();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A stream ended: the job finalizes once both did and the process exited. */
	void streamClosed() {
		this.lock.lock();
		try {
			this.openStreams--;
			if (this.openStreams == 0 && this.observedExit != null) {
				this.ending.announceExit(this.observedExit);
				this.ending.finalizeLocked();
			}
		}
		finally {
			if (this.lock.isHeldByCurrentThread()) {
				this.lock.unlock();
			}
		}
	}

	private void exited() {
		ExitStatus status = exitStatus(this.process.exitValue());
		this.lock.lock();
		try {
			if (this.observedExit != null) {
				// seen already (by the job's thread after stdout ended, or by onExit)
				return;
			}
			this.observedExit = status;
			if (this.timeoutTask != null) {
				this.timeoutTask.cancel(false);
			}
			this.ending.exitObserved();
			if (this.openStreams == 0) {
				this.ending.announceExit(status);
				this.ending.finalizeLocked();
				return;
			}
			this.scheduler.get().schedule(this::drainExpired, this.drainGracePeriod.toNanos(), TimeUnit.NANOSECONDS);
		}
		finally {
			if (this.lock.isHeldByCurrentThread()) {
				this.lock.unlock();
			}
		}
	}

	/**
	 * The JDK reports a process ended by signal N as exit value 128+N; execra reports 129 to 192 as signals.
	 */
	static ExitStatus exitStatus(int value) {
		if (value > 128 && value <= 128 + 64 && !System.getProperty("os.name", "").startsWith("Windows")) {
			return ExitStatus.ofSignal(value - 128);
		}
		return ExitStatus.ofCode(value);
	}

	/** The process exited but something still holds its output pipes: kill the group, then give up on them. */
	private void drainExpired() {
		CompletableFuture<Void> killed;
		this.lock.lock();
		try {
			ExitStatus status = this.observedExit;
			if (this.ending.finalizing() || this.openStreams == 0) {
				return;
			}
			if (this.pump.heldBack()) {
				// the pipes are open because a lossless reader holds the pumps back, not because a survivor holds
				// them: the last lines of a process that exited by itself are delivered however long it takes
				this.scheduler.get().schedule(this::drainExpired, this.drainGracePeriod.toNanos(),
						TimeUnit.NANOSECONDS);
				return;
			}
			logger.debug("Job {}: output still open {} after exit; killing its process group and processes", this.id,
					this.drainGracePeriod);
			if (status != null) {
				this.ending.announceExit(status);
			}
			killed = signal(ProcessSignaller.Signal.KILL);
		}
		finally {
			this.lock.unlock();
		}
		// counted from when the job's processes outside its group were killed too: finding them may take a while
		killed.completeOnTimeout(null, KILL_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
			.whenComplete((ignored, ex) -> abandonAfterKill());
	}

	/** Finalizes a job whose pipes a process execra cannot kill holds, a little after the kill, and wakes pumps. */
	private void abandonAfterKill() {
		Runnable abandon = () -> {
			this.lock.lock();
			try {
				if (!this.ending.finalizing()) {
					logger.warn("Job {}: output pipes held open by a process execra cannot kill; finalizing anyway",
							this.id);
					this.ending.finalizeLocked();
				}
			}
			finally {
				if (this.lock.isHeldByCurrentThread()) {
					this.lock.unlock();
				}
			}
			releasePumps();
		};
		try {
			this.scheduler.get().schedule(abandon, ABANDON_AFTER_KILL.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the runtime is closing: nothing is waited for any more
			abandon.run();
		}
	}

	/** Wakes pumps still blocked on a pipe that a survivor holds, so that they end rather than wait for it. */
	private void releasePumps() {
		this.lock.lock();
		try {
			if (this.openStreams == 0) {
				return;
			}
		}
		finally {
			this.lock.unlock();
		}
		this.pump.release();
		int woken = this.outputPipes.wake();
		logger.debug("Job {}: woke {} pumps blocked on pipes held by a survivor", this.id, woken);
	}

	/**
	 * Signals the process's group, and the job's processes that left it.
	 * @param signal the signal
	 * @return completes once they were signalled
	 */
	CompletableFuture<Void> signal(ProcessSignaller.Signal signal) {
		// a job being stopped no longer waits for lossless readers: its pumps drain the pipes at full speed
		this.pump.stopHoldingBack();
		this.listeners.processSignalled(signal.name());
		return this.signaller.signal(this.process.toHandle(), signal, this.id.toString());
	}

	/**
	 * Kills the process's group after a grace period, as a cancel that sent TERM escalates.
	 * @param grace the grace period
	 */
	void killAfter(Duration grace) {
		this.scheduler.get().schedule(() -> signal(ProcessSignaller.Signal.KILL), grace.toNanos(),
				TimeUnit.NANOSECONDS);
	}

	/** The process exited by itself: kills what it left running in its group, a little later. */
	void reapLater() {
		this.signaller.reapLater(this.process.toHandle());
	}

}
