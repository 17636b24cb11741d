package io.execra.internal.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

import io.execra.Delivery;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraSettings;
import io.execra.Job;
import io.execra.JobId;
import io.execra.JobsQuery;
import io.execra.OutputPage;
import io.execra.UnknownJobException;
import io.execra.internal.delivery.StoredEventStream;
import io.execra.internal.log.OutputLogReader;
import io.execra.internal.store.StoreWriter;
import io.execra.store.JobCriteria;
import io.execra.store.StoreException;

/**
 * What the runtime answers about jobs: from memory while the registry holds a job, from the store after. A store
 * query first waits for the store writer, so it sees what the runtime has already reported.
 */
final class JobQueries {

	private final ExecraSettings settings;

	private final JobRegistry registry;

	private final StoreWriter storeWriter;

	private final ThreadFactory deliveryThreads;

	/**
	 * @param settings the runtime's settings: store, store write timeout, output directory
	 * @param registry the jobs in memory
	 * @param storeWriter the writer the store catches up through
	 * @param deliveryThreads threads that deliver events to {@code Flow.Subscriber}s
	 */
	JobQueries(ExecraSettings settings, JobRegistry registry, StoreWriter storeWriter, ThreadFactory deliveryThreads) {
		this.settings = settings;
		this.registry = registry;
		this.storeWriter = storeWriter;
		this.deliveryThreads = deliveryThreads;
	}

	/** @see io.execra.ExecraRuntime#cancel(JobId) */
	boolean cancel(JobId id) {
		JobDriver driver = this.registry.get(id);
		if (driver != null) {
			return driver.cancel();
		}
		Optional<Job> stored = this.settings.store().find(id);
		if (stored.isPresent()) {
			return false;
		}
		throw new UnknownJobException(id);
	}

	/** @see io.execra.ExecraRuntime#job(JobId) */
	Optional<Job> job(JobId id) {
		JobDriver driver = this.registry.get(id);
		if (driver != null) {
			return Optional.of(driver.snapshot());
		}
		return this.settings.store().find(id);
	}

	/** @see io.execra.ExecraRuntime#jobs() */
	JobsQuery jobs() {
		return new JobsQuery(this::list, this::count);
	}

	private List<Job> list(JobCriteria query) {
		flushStore();
		List<Job> stored = this.settings.store().query(query);
		List<Job> result = new ArrayList<>(stored.size());
		for (Job job : stored) {
			JobDriver live = this.registry.get(job.id());
			result.add((live != null) ? live.snapshot() : job);
		}
		return result;
	}

	private long count(JobCriteria query) {
		flushStore();
		return this.settings.store().count(query);
	}

	private void flushStore() {
		if (!this.storeWriter.flush(this.settings.storeWrites().writeTimeout())) {
			Throwable failure = this.storeWriter.lastFailure();
			throw new StoreException("The job store did not catch up within " + this.settings.storeWrites().writeTimeout()
					+ ((failure != null) ? ": " + failure : ""), (failure != null) ? failure : null);
		}
	}

	/** @see io.execra.ExecraRuntime#events(JobId, long, int) */
	List<Event> events(JobId id, long afterSeq, int limit) {
		JobDriver driver = this.registry.get(id);
		if (driver != null) {
			List<Event> retained = driver.retainedEvents(afterSeq, limit);
			if (retained != null) {
				return retained;
			}
		}
		flushStore();
		return this.settings.store().events(id, afterSeq, limit);
	}

	/** @see io.execra.ExecraRuntime#subscribe(JobId, Delivery) */
	EventStream subscribe(JobId id, Delivery delivery) {
		JobDriver driver = this.registry.get(id);
		if (driver != null) {
			return driver.stream(0, delivery, this.deliveryThreads);
		}
		if (this.settings.store().find(id).isEmpty()) {
			throw new UnknownJobException(id);
		}
		return new StoredEventStream(this.settings.store().events(id, 0, Integer.MAX_VALUE), this.deliveryThreads);
	}

	/** @see io.execra.ExecraRuntime#output(JobId, long, int, Duration) */
	OutputPage output(JobId id, long afterSeq, int maxBytes, Duration wait) throws InterruptedException {
		JobDriver driver = this.registry.get(id);
		if (driver != null) {
			return driver.output(afterSeq, maxBytes, wait);
		}
		Optional<Job> stored = this.settings.store().find(id);
		if (stored.isEmpty()) {
			throw new UnknownJobException(id);
		}
		return OutputLogReader.read(this.settings.rawOutput().directory(), stored.get(), afterSeq, maxBytes);
	}

}
