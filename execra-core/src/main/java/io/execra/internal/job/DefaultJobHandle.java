package io.execra.internal.job;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;

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

	DefaultJobHandle(JobDriver driver, ThreadFactory deliveryThreads) {
		this.driver = driver;
		this.deliveryThreads = deliveryThreads;
	}

	@Override
	public JobId id() {
		return this.driver.id();
	}

	@Override
	public CompletableFuture<Outcome> outcome() {
		return this.driver.outcome().copy();
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
		this.driver.write(bytes);
	}

	@Override
	public void closeStdin() {
		this.driver.closeStdin();
	}

	@Override
	public String toString() {
		return "JobHandle[" + this.driver.id() + " " + this.driver.spec().commandLine() + "]";
	}

}
