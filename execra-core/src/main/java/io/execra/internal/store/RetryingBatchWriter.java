package io.execra.internal.store;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import io.execra.Event;
import io.execra.ExecraListener;
import io.execra.Job;
import io.execra.store.JobStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch to the store until it is done with: written whole, or written but for records the store refuses
 * ({@link RefusedRecordIsolation}). While the store fails, the batch is retried with {@link Backoff back-off}, the
 * first failure is logged and the last kept for health checks; at shutdown the writer gives up once the pauses are
 * at their longest. Used by the writer thread only.
 */
final class RetryingBatchWriter {

	private static final Logger logger = LoggerFactory.getLogger(StoreWriter.class);

	private final JobStore store;

	private final ExecraListener listener;

	private final RefusedRecordIsolation isolation;

	private final LongConsumer written;

	private final @Nullable BatchSink sink;

	private volatile @Nullable Throwable lastFailure;

	/**
	 * @param store the store
	 * @param listener told of each write and of each record dropped
	 * @param isolation what to do with a batch refused whole
	 * @param written told how long each write of a whole batch that succeeded took, in nanoseconds
	 */
	RetryingBatchWriter(JobStore store, ExecraListener listener, RefusedRecordIsolation isolation,
			LongConsumer written) {
		this(store, listener, isolation, written, null);
	}

	/**
	 * @param store the store
	 * @param listener told of each write and of each record dropped
	 * @param isolation what to do with a batch refused whole
	 * @param written told how long each write of a whole batch that succeeded took, in nanoseconds
	 * @param sink where batches are written instead of the store, or {@code null} for the store
	 */
	RetryingBatchWriter(JobStore store, ExecraListener listener, RefusedRecordIsolation isolation,
			LongConsumer written, @Nullable BatchSink sink) {
		this.sink = sink;
		this.store = store;
		this.listener = listener;
		this.isolation = isolation;
		this.written = written;
	}

	/**
	 * Writes the batch until it is done with.
	 * @param jobs the snapshots
	 * @param events the events
	 * @param stopping whether the writer stops
	 * @return whether it is done with; {@code false} if given up at shutdown
	 */
	boolean writeUntilDone(List<Job> jobs, List<Event> events, BooleanSupplier stopping) {
		if (writeOnce(jobs, events)) {
			return true;
		}
		RefusedRecordIsolation.RefusedBatch refused = this.isolation.refused(jobs, events);
		Backoff backoff = new Backoff();
		while (!refused.isolate()) {
			if (stopping.getAsBoolean() && backoff.exhausted()) {
				logger.error("Giving up writing {} jobs and {} events to the store at shutdown", jobs.size(),
						events.size());
				return false;
			}
			sleep(backoff.next());
			if (writeOnce(jobs, events)) {
				return true;
			}
		}
		// the store answers and took the rest: what it refused is at fault, not the store
		logger.info("Store reachable again; writing resumed");
		this.lastFailure = null;
		return true;
	}

	/** @return the last write failure, or {@code null} if the last batch was done with */
	@Nullable Throwable lastFailure() {
		return this.lastFailure;
	}

	/**
	 * Writes the batch once, as {@link #writeUntilDone} first tries it.
	 * @param jobs the snapshots
	 * @param events the events
	 * @return whether it was written; if not, the failure is logged and kept as {@link #lastFailure()}
	 */
	boolean writeOnce(List<Job> jobs, List<Event> events) {
		long start = System.nanoTime();
		try {
			if (this.sink != null) {
				this.sink.write(jobs, events);
			}
			else {
				this.store.write(jobs, events);
			}
			if (this.lastFailure != null) {
				logger.info("Store reachable again; writing resumed");
			}
			this.lastFailure = null;
			long took = System.nanoTime() - start;
			this.written.accept(took);
			this.listener.storeWrite(Duration.ofNanos(took), true);
			return true;
		}
		catch (RuntimeException ex) {
			if (this.lastFailure == null) {
				logger.warn("Could not write {} jobs and {} events to the store; retrying with back-off", jobs.size(),
						events.size(), ex);
			}
			this.lastFailure = ex;
			this.listener.storeWrite(Duration.ofNanos(System.nanoTime() - start), false);
			return false;
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
