package io.execra.internal.job;

import java.time.Clock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

import io.execra.Event;
import io.execra.JobId;
import io.execra.Stdin;
import io.execra.StdinBufferFullException;
import io.execra.StdinClosedException;
import io.execra.internal.process.JobStdin;

/**
 * A job's stdin as the job's handle and interpreter write to it: the bytes are queued and written off the job's
 * threads, and what could not be written becomes an event of the job (unless it is finalizing). Takes the job's
 * lock itself to emit: call it with or without the lock.
 */
final class JobInput {

	private final JobId id;

	private final Clock clock;

	private final ReentrantLock lock;

	private final EventSequencer events;

	private final BooleanSupplier finalizing;

	private final JobStdin stdin;

	/**
	 * @param id the job
	 * @param mode the command's stdin
	 * @param services the threads, scheduler, clock and settings of the runtime
	 * @param lock the job's lock
	 * @param events emits the job's events
	 * @param finalizing whether the job is finalizing, asked under the lock
	 */
	JobInput(JobId id, Stdin mode, JobServices services, ReentrantLock lock, EventSequencer events,
			BooleanSupplier finalizing) {
		this.id = id;
		this.clock = services.clock();
		this.lock = lock;
		this.events = events;
		this.finalizing = finalizing;
		var settings = services.settings();
		this.stdin = new JobStdin(id, mode, services.jobThreads(), services.scheduler(), settings.stdin().bufferBytes(),
				settings.stdin().writeTimeout(), this::stdinTimedOut);
	}

	/** Connects stdin to the process just started. */
	void connect(Process process) {
		this.stdin.connect(process);
	}

	/** Ends stdin: the process exited, or the job is finalizing. */
	void end() {
		this.stdin.end();
	}

	void write(byte[] bytes) {
		this.stdin.write(bytes);
	}

	void close() {
		this.stdin.close();
	}

	/** Queues an interpreter's answer; a failure becomes an interpreter_error event. */
	void writeAnswer(byte[] bytes) {
		try {
			this.stdin.write(bytes);
		}
		catch (StdinClosedException | StdinBufferFullException ex) {
			emitUnlessFinalizing((seq) -> new Event.InterpreterError(this.id, seq, this.clock.instant(), "answer",
					ex.getMessage(), null));
		}
	}

	/** The bytes queued for stdin were dropped: the process took none of them for the write timeout. */
	private void stdinTimedOut(String message) {
		emitUnlessFinalizing((seq) -> new Event.WarningDetected(this.id, seq, this.clock.instant(),
				"stdin_write_timeout", message));
	}

	private <E extends Event> void emitUnlessFinalizing(LongFunction<E> factory) {
		this.lock.lock();
		try {
			if (!this.finalizing.getAsBoolean()) {
				this.events.emit(factory);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

}
