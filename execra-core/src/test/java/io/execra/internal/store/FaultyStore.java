package io.execra.internal.store;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.execra.Event;
import io.execra.Job;
import io.execra.JobId;
import io.execra.store.InMemoryJobStore;
import io.execra.store.StoreException;

/**
 * The in-memory store with failures injected: it can be down (every write and ping fails), refuse the records of
 * chosen jobs as a database refuses a value too long for its column, take time per write, or hold writes until
 * released. It records every batch it is handed.
 */
final class FaultyStore extends InMemoryJobStore {

	/** A batch handed to {@link #write}, whether or not it was taken. */
	record Write(List<Job> jobs, List<Event> events) {
	}

	final List<Write> writes = new CopyOnWriteArrayList<>();

	private final boolean pingSupported;

	private final Set<JobId> refused = ConcurrentHashMap.newKeySet();

	private volatile boolean down;

	private volatile boolean refusingEverything;

	private volatile Duration writeTime = Duration.ZERO;

	private volatile CountDownLatch gate = new CountDownLatch(0);

	FaultyStore(boolean pingSupported) {
		this(pingSupported, false);
	}

	/** Whether it says it writes in memory; by default it stands for a database, written from the writer thread. */
	private final boolean inMemory;

	FaultyStore(boolean pingSupported, boolean inMemory) {
		this.pingSupported = pingSupported;
		this.inMemory = inMemory;
	}

	@Override
	public boolean writesInMemory() {
		return this.inMemory;
	}

	void down(boolean down) {
		this.down = down;
	}

	/** The records of this job are refused from now on, by a store that answers. */
	void refuse(JobId jobId) {
		this.refused.add(jobId);
	}

	/** Every write is refused while the store answers its ping. */
	void refuseEverything(boolean refusing) {
		this.refusingEverything = refusing;
	}

	void writeTime(Duration writeTime) {
		this.writeTime = writeTime;
	}

	/** Writes wait until {@link #open()}. */
	void close() {
		this.gate = new CountDownLatch(1);
	}

	void open() {
		this.gate.countDown();
	}

	@Override
	public void write(List<Job> jobs, List<Event> events) {
		this.writes.add(new Write(List.copyOf(jobs), List.copyOf(events)));
		try {
			if (!this.gate.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("The test did not open the store's gate");
			}
			Thread.sleep(this.writeTime.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StoreException("interrupted");
		}
		super.write(jobs, events);
	}

	@Override
	public void upsert(List<Job> jobs) {
		check(jobs.stream().map(Job::id).toList());
		super.upsert(jobs);
	}

	@Override
	public void append(List<Event> events) {
		check(events.stream().map(Event::jobId).toList());
		super.append(events);
	}

	private void check(List<JobId> ids) {
		if (this.down) {
			throw new StoreException("connection refused");
		}
		if (this.refusingEverything || ids.stream().anyMatch(this.refused::contains)) {
			throw new StoreException("value too long for column LABEL");
		}
	}

	@Override
	public void ping() {
		if (this.down) {
			throw new StoreException("connection refused");
		}
	}

	@Override
	public boolean supportsPing() {
		return this.pingSupported;
	}

}
