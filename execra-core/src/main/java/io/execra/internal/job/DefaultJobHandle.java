package io.execra.internal.job;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

import io.execra.Delivery;
import io.execra.EventStream;
import io.execra.ExecraException;
import io.execra.Job;
import io.execra.JobHandle;
import io.execra.JobId;
import io.execra.Outcome;

/**
 * The {@link JobHandle} of a job driven by a {@link DefaultExecraRuntime}.
 */
final class DefaultJobHandle implements JobHandle {

	private final JobDriver driver;

	private final ThreadFactory deliveryThreads;

	private final Executor outcomeThreads;

	/**
	 * @param driver the job
	 * @param deliveryThreads make the threads of the streams of its events
	 * @param outcomeThreads complete the futures {@link #outcome()} returns
	 */
	DefaultJobHandle(JobDriver driver, ThreadFactory deliveryThreads, Executor outcomeThreads) {
		this.driver = driver;
		this.deliveryThreads = deliveryThreads;
		this.outcomeThreads = outcomeThreads;
	}

	@Override
	public JobId id() {
		return this.driver.id();
	}

	@Override
	public CompletableFuture<Outcome> outcome() {
		CompletableFuture<Outcome> outcome = this.driver.outcome();
		if (outcome.isDone()) {
			return outcome.copy();
		}
		// the job's outcome completes on the thread that finalized it, an event loop's often: a stage the caller
		// adds, which may block, runs on a thread of its own instead
		return outcome.thenApplyAsync(Function.identity(), this.outcomeThreads);
	}

	@Override
	public Outcome await() throws InterruptedException {
		try {
			return this.driver.outcome().get();
		}
		catch (ExecutionException ex) {
			throw new ExecraException("Job " + this.driver.id() + " failed unexpectedly", ex.getCause());
		}
	}

	@Override
	public boolean cancel() {
		return this.driver.cancel();
	}

	@Override
	public EventStream events() {
		return events(Delivery.BEST_EFFORT);
	}

	@Override
	public EventStream events(Delivery delivery) {
		if (delivery == null) {
			throw new IllegalArgumentException("'delivery' must not be null");
		}
		return this.driver.stream(0, delivery, this.deliveryThreads);
	}

	@Override
	public Job snapshot() {
		return this.driver.snapshot();
	}

	@Override
	public void write(byte[] bytes) {
		this.driver.stdin().write(bytes);
	}

	@Override
	public void closeStdin() {
		this.driver.stdin().close();
	}

	@Override
	public String toString() {
		return "JobHandle[" + this.driver.id() + " " + this.driver.spec().commandLine() + "]";
	}

}
