package io.execra.internal.job;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;

import io.execra.EventStream;
import io.execra.ExecraException;
import io.execra.Job;
import io.execra.JobHandle;
import io.execra.JobId;
import io.execra.Outcome;
import io.execra.UnknownJobException;
import org.jspecify.annotations.Nullable;

/**
 * The {@link JobHandle} of a job in cluster mode, which runs on this node or on any other: each call goes to the
 * local driver while this node runs the job, and to the store (and the database's signals) otherwise.
 */
final class ClusterJobHandle implements JobHandle {

	private final JobId id;

	private final ClusterReads reads;

	private final ThreadFactory deliveryThreads;

	ClusterJobHandle(JobId id, ClusterReads reads, ThreadFactory deliveryThreads) {
		this.id = id;
		this.reads = reads;
		this.deliveryThreads = deliveryThreads;
	}

	@Override
	public JobId id() {
		return this.id;
	}

	@Override
	public CompletableFuture<Outcome> outcome() {
		CompletableFuture<Outcome> outcome = new CompletableFuture<>();
		this.deliveryThreads.newThread(() -> {
			try {
				outcome.complete(await());
			}
			catch (InterruptedException ex) {
				outcome.completeExceptionally(ex);
			}
			catch (RuntimeException ex) {
				outcome.completeExceptionally(ex);
			}
		}).start();
		return outcome;
	}

	@Override
	public Outcome await() throws InterruptedException {
		while (true) {
			JobDriver driver = this.reads.local(this.id);
			if (driver != null && !this.reads.abandoned(this.id)) {
				Outcome outcome;
				try {
					outcome = driver.outcome().get();
				}
				catch (ExecutionException ex) {
					throw new ExecraException("Job " + this.id + " failed unexpectedly", ex.getCause());
				}
				if (!this.reads.abandoned(this.id)) {
					return outcome;
				}
			}
			// run elsewhere, or abandoned here when this node lost its lease: the store has the outcome that stands
			Outcome stored = this.reads.awaitStored(this.id);
			if (stored != null) {
				return stored;
			}
		}
	}

	@Override
	public boolean cancel() {
		return this.reads.cancel(this.id);
	}

	@Override
	public EventStream events() {
		return this.reads.subscribe(this.id);
	}

	@Override
	public Job snapshot() {
		JobDriver driver = this.reads.local(this.id);
		if (driver != null) {
			return driver.snapshot();
		}
		return this.reads.stored(this.id);
	}

	@Override
	public void write(byte[] bytes) {
		localForStdin().stdin().write(bytes);
	}

	@Override
	public void closeStdin() {
		localForStdin().stdin().close();
	}

	private JobDriver localForStdin() {
		JobDriver driver = this.reads.local(this.id);
		if (driver != null) {
			return driver;
		}
		Job job = this.reads.stored(this.id);
		String where = job.isFinalized() ? "is finalized" : switch (job.state()) {
			case QUEUED -> "is queued, not yet running on any node";
			default -> "runs on node " + job.node() + ", not on this node (" + this.reads.nodeId() + ")";
		};
		throw new UnsupportedOperationException("Cannot write to the stdin of job " + this.id + ": it " + where
				+ "; writing to a job's stdin is not supported across nodes");
	}

	@Override
	public String toString() {
		return "JobHandle[" + this.id + " (cluster)]";
	}

	/** What a cluster handle reads, from this node or the store. */
	interface ClusterReads {

		/**
		 * @param id the job
		 * @return its driver, while this node runs it, or {@code null}
		 */
		@Nullable JobDriver local(JobId id);

		/**
		 * @param id the job
		 * @return its stored snapshot
		 * @throws UnknownJobException if the store does not know it
		 */
		Job stored(JobId id);

		/**
		 * Waits for the job to be finalized in the store.
		 * @param id the job
		 * @return its outcome, or {@code null} if it now runs on this node (not abandoned)
		 * @throws InterruptedException if interrupted
		 */
		@Nullable Outcome awaitStored(JobId id) throws InterruptedException;

		/**
		 * @param id the job
		 * @return whether this node abandoned its run of the job when it lost its lease
		 */
		boolean abandoned(JobId id);

		/**
		 * @param id the job
		 * @return whether it was cancelled (locally) or its cancel requested (elsewhere)
		 */
		boolean cancel(JobId id);

		/**
		 * @param id the job
		 * @return its events from the first
		 */
		EventStream subscribe(JobId id);

		/** @return this node's id */
		String nodeId();

	}

}
