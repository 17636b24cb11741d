package io.execra.internal.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.execra.Event;
import io.execra.ExecraListener;
import io.execra.Job;
import io.execra.JobId;
import org.jspecify.annotations.Nullable;

/**
 * What waits to be written to the store, in submission order. A job's snapshots are coalesced: a newer one replaces
 * the one queued, since the store keeps only the latest. Events are bounded by the capacity; past it, intermediate
 * events are dropped (counted, warned of and reported to the listener), but a job's created, exited and finalized
 * events never are, so its history keeps its terminal state. Output lines and lag signals are not stored at all.
 * <p>
 * Not thread-safe: the writer guards it with its lock.
 */
final class WriteQueue {

	private final int capacity;

	private final boolean keepOutput;

	private final ExecraListener listener;

	private final ThrottledWarnings warnings;

	/** Latest snapshot per job not yet taken. */
	private final Map<JobId, Job> snapshots = new LinkedHashMap<>();

	private final ArrayDeque<Pending> events = new ArrayDeque<>();

	private long lastTicket;

	private long dropped;

	private record Pending(long ticket, Event event) {
	}

	/**
	 * A batch taken for writing.
	 * @param jobs the snapshots
	 * @param events the events, in submission order
	 * @param throughTicket once the batch is written, every submission up to this ticket is
	 */
	record Batch(List<Job> jobs, List<Event> events, long throughTicket) {
	}

	WriteQueue(int capacity, ExecraListener listener, ThrottledWarnings warnings) {
		this(capacity, listener, warnings, false);
	}

	/**
	 * @param capacity the most events queued
	 * @param listener told of dropped events
	 * @param warnings warns of dropped events
	 * @param keepOutput whether output lines are written too (cluster mode: other nodes relay them from the store)
	 */
	WriteQueue(int capacity, ExecraListener listener, ThrottledWarnings warnings, boolean keepOutput) {
		this.keepOutput = keepOutput;
		this.capacity = capacity;
		this.listener = listener;
		this.warnings = warnings;
	}

	/**
	 * Queues one submission.
	 * @param ticket its ticket, greater than any before
	 * @param job the snapshot, or {@code null}
	 * @param batch events (output lines and lag signals are skipped)
	 */
	void add(long ticket, @Nullable Job job, List<Event> batch) {
		if (job != null) {
			// re-inserted so that snapshots are written in the order they were last submitted
			this.snapshots.remove(job.id());
			this.snapshots.put(job.id(), job);
		}
		for (Event event : batch) {
			if ((event instanceof Event.OutputAppended && !this.keepOutput) || event instanceof Event.Lagged) {
				continue;
			}
			if (this.events.size() >= this.capacity && !isEssential(event)) {
				this.dropped++;
				this.warnings.eventDropped(this.dropped, this.capacity);
				this.listener.storeEventsDropped(1);
				continue;
			}
			this.events.add(new Pending(ticket, event));
		}
		this.lastTicket = ticket;
	}

	private static boolean isEssential(Event event) {
		return event instanceof Event.Finalized || event instanceof Event.JobCreated || event instanceof Event.Exited;
	}

	/**
	 * Takes every queued snapshot and up to {@code maxEvents} events.
	 * @param maxEvents the most events to take
	 * @return the batch; empty when nothing is queued
	 */
	Batch take(int maxEvents) {
		List<Job> jobs = new ArrayList<>(this.snapshots.values());
		this.snapshots.clear();
		List<Event> batch = new ArrayList<>(Math.min(this.events.size(), maxEvents));
		while (!this.events.isEmpty() && batch.size() < maxEvents) {
			batch.add(this.events.poll().event());
		}
		// with events left over, the submissions complete are those before the next event's
		long through = this.events.isEmpty() ? this.lastTicket : this.events.peek().ticket() - 1;
		return new Batch(jobs, batch, through);
	}

	/** @return whether no snapshot and no event is queued */
	boolean isEmpty() {
		return this.snapshots.isEmpty() && this.events.isEmpty();
	}

	/** @return events queued */
	int events() {
		return this.events.size();
	}

	/** @return snapshots and events queued */
	int backlog() {
		return this.events.size() + this.snapshots.size();
	}

	/** @return events dropped so far because the queue was full */
	long dropped() {
		return this.dropped;
	}

}
