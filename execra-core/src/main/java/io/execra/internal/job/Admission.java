package io.execra.internal.job;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.execra.JobRejectedException;
import org.jspecify.annotations.Nullable;

/**
 * The concurrency limit of a runtime: a job starts when it gets a permit, waits in a FIFO queue while all are
 * taken, and is rejected when the queue is full. A job's permit passes to the next queued job when it is released.
 *
 * @param <T> the jobs admitted
 */
final class Admission<T> {

	private final int maxConcurrent;

	private final int queueCapacity;

	private final Consumer<T> starter;

	private final ReentrantLock lock = new ReentrantLock();

	private final ArrayDeque<T> queue = new ArrayDeque<>();

	/** Jobs holding a permit; a job releases its permit once, whichever path finalizes it. */
	private final Set<T> permitted = Collections.newSetFromMap(new ConcurrentHashMap<>());

	private int running;

	/**
	 * @param maxConcurrent the jobs that may hold a permit at once
	 * @param queueCapacity the jobs that may wait for one
	 * @param starter starts a queued job once it gets a permit (on the thread that released one)
	 */
	Admission(int maxConcurrent, int queueCapacity, Consumer<T> starter) {
		this.maxConcurrent = maxConcurrent;
		this.queueCapacity = queueCapacity;
		this.starter = starter;
	}

	/**
	 * Admits a job: gives it a permit, or queues it behind the jobs already waiting.
	 * @param job the job
	 * @param commandLine the job's command line, for the rejection message
	 * @param whileAdmitting runs under the admission lock once the job is admitted, before a released permit can
	 * start it
	 * @return whether the job got a permit: the caller then starts it
	 * @throws JobRejectedException when the queue is full
	 */
	boolean admit(T job, String commandLine, Runnable whileAdmitting) {
		this.lock.lock();
		try {
			boolean permit;
			if (this.running < this.maxConcurrent) {
				this.running++;
				this.permitted.add(job);
				permit = true;
			}
			else if (this.queue.size() < this.queueCapacity) {
				this.queue.add(job);
				permit = false;
			}
			else {
				throw new JobRejectedException("Job rejected: the queue is full (" + this.queue.size()
						+ " jobs waiting, queue-capacity " + this.queueCapacity + "; " + this.running
						+ " running, max-concurrent " + this.maxConcurrent + "): " + commandLine);
			}
			whileAdmitting.run();
			return permit;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Removes a queued job from the queue.
	 * @param job the job
	 * @return whether it was queued (it then never starts)
	 */
	boolean dequeue(T job) {
		this.lock.lock();
		try {
			return this.queue.remove(job);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * A job no longer needs its permit: the next queued job gets it and starts. Does nothing for a job without a
	 * permit, or one that released it already.
	 * @param job the job
	 */
	void released(T job) {
		if (!this.permitted.remove(job)) {
			return;
		}
		@Nullable T next;
		this.lock.lock();
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
			this.lock.unlock();
		}
		if (next != null) {
			this.starter.accept(next);
		}
	}

	/** @return the job that gets the next released permit, or {@code null} when none waits */
	@Nullable T next() {
		this.lock.lock();
		try {
			return this.queue.peek();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** @return the jobs holding a permit and the jobs waiting for one, read together */
	Load load() {
		this.lock.lock();
		try {
			return new Load(this.running, this.queue.size());
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The load of a runtime at one moment.
	 *
	 * @param running jobs holding a permit
	 * @param queued jobs waiting for one
	 */
	record Load(int running, int queued) {
	}

}
