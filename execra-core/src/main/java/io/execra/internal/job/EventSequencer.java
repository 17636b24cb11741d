package io.execra.internal.job;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.function.LongFunction;

import io.execra.Event;
import io.execra.internal.delivery.EventFanOut;
import io.execra.internal.log.EventBatch;
import io.execra.internal.log.EventLog;
import io.execra.internal.log.LineRun;
import io.execra.internal.store.StoreWriter;
import org.jspecify.annotations.Nullable;

/**
 * Gives a job's events their seqs and publishes them: to the event log, the all-jobs subscriptions and the store.
 * Outside a batch of output lines an event is published at once; within one it is staged, and published with the
 * batch (or earlier, once enough is staged). Not thread-safe: every method is called under the job's lock, whose
 * condition {@code changed} it signals with the log when it wakes readers.
 */
final class EventSequencer {

	private final EventLog eventLog;

	private final Condition changed;

	private final EventFanOut fanOut;

	private final StoreWriter storeWriter;

	private long lastSeq;

	private long lastStoredProgressNanos;

	/**
	 * Whether a batch of lines is being handled: its events are published to global subscribers, and readers
	 * woken, once at the end of the batch.
	 */
	private boolean batching;

	/**
	 * Whether the events of the batch are collected for global subscribers: there were some when it started (one
	 * subscribing meanwhile gets the events from the next batch on).
	 */
	private boolean deferring;

	/**
	 * Whether the output lines of the batch are collected too: some global subscriber wanted them when it started.
	 * Those without output never get a line, so while they are the only ones lines are not even collected.
	 */
	private boolean deferringLines;

	/**
	 * The events of the batch for global subscribers, lines left undecoded staying so, only collected while there
	 * are any.
	 */
	private final EventBatch deferredEvents = new EventBatch();

	/** Deferred events that make a publish due in the middle of a batch: a quarter of a subscriber's buffer. */
	private final int publishDeferredAt;


	private final long publishDeferredCost;

	/**
	 * @param eventLog the job's event log
	 * @param changed the condition of the job's lock that readers of its output wait on
	 * @param fanOut the all-jobs subscriptions
	 * @param storeWriter writes the events to the store
	 * @param subscriberBufferSize events a global subscriber may be behind before it lags
	 * @param subscriberBufferBytes the cost of events a global subscriber may be behind before it lags
	 */
	EventSequencer(EventLog eventLog, Condition changed, EventFanOut fanOut, StoreWriter storeWriter,
			int subscriberBufferSize, long subscriberBufferBytes) {
		this.eventLog = eventLog;
		this.changed = changed;
		this.fanOut = fanOut;
		this.storeWriter = storeWriter;
		this.publishDeferredAt = Math.max(1, subscriberBufferSize / 4);
		this.publishDeferredCost = Math.max(1, subscriberBufferBytes / 4);
	}

	/** Appends an event with the next seq: event log, live subscribers, store. */
	<E extends Event> E emit(LongFunction<E> factory) {
		E event = publish(factory);
		if (storable(event)) {
			this.storeWriter.submit(null, List.of(event));
		}
		return event;
	}

	/** Appends an event to the event log and subscribers only; the caller stores it. */
	<E extends Event> E publish(LongFunction<E> factory) {
		E event = factory.apply(++this.lastSeq);
		append(event);
		return event;
	}

	/** Appends an event, whose seq was just taken, to the event log and subscribers. */
	private void append(Event event) {
		if (this.batching) {
			this.eventLog.stage(event);
			if (this.deferring) {
				defer(event);
			}
		}
		else {
			publishNow(event);
		}
	}

	/** Publishes an event, whose seq was taken, outside a batch: event log, live subscribers, readers woken. */
	void publishNow(Event event) {
		this.eventLog.add(event);
		this.fanOut.publish(event);
		wakeReaders();
	}

	/** Wakes the threads waiting for events or output of this job. */
	void wakeReaders() {
		this.eventLog.signal();
		this.changed.signalAll();
	}

	private boolean storable(Event event) {
		if (event instanceof Event.OutputAppended) {
			return false;
		}
		if (event instanceof Event.ProgressUpdated updated && !this.storeWriter.keepsOutput()) {
			// progress can change on every line: the store gets it at most once a second, and at 100%
			long now = System.nanoTime();
			boolean complete = updated.progress().asFraction().orElse(0) >= 1.0;
			if (!complete && now - this.lastStoredProgressNanos < 1_000_000_000L) {
				return false;
			}
			this.lastStoredProgressNanos = now;
		}
		return true;
	}

	/** @return whether output lines go to the store too (cluster mode) */
	boolean storesOutput() {
		return this.storeWriter.keepsOutput();
	}

	/** Submits an output line, published already, to the store: in cluster mode only. */
	void storeLine(Event.OutputAppended line) {
		this.storeWriter.submit(null, List.of(line));
	}

	/** @return the seq of the last event, published or staged */
	long lastSeq() {
		return this.lastSeq;
	}

	/** @return the next seq, taken for an event the caller builds and keeps itself */
	long nextSeq() {
		return ++this.lastSeq;
	}

	/**
	 * Takes the seqs up to one, for events the caller staged itself.
	 * @param seq the seq of the last of them
	 */
	void takenUpTo(long seq) {
		this.lastSeq = seq;
	}

	// ---- batches -------------------------------------------------------------------------------------------

	/** Starts a batch of lines: its events are staged until {@link #endBatch}. */
	void startBatch() {
		this.batching = true;
		this.deferring = this.fanOut.hasSubscriptions();
		this.deferringLines = this.deferring && this.fanOut.hasOutputSubscriptions();
	}

	/** Ends a batch, publishing what it staged; the caller wakes readers. */
	void endBatch() {
		this.batching = false;
		publishBatchSoFar();
	}

	/** Publishes the events of the batch staged so far, to readers of the log and to global subscribers. */
	private void publishBatchSoFar() {
		this.eventLog.publishStaged();
		if (!this.deferredEvents.isEmpty()) {
			this.fanOut.publish(this.deferredEvents, this.deferringLines);
			this.deferredEvents.clear();
		}
	}

	/** @return whether the output lines of the batch are collected for global subscribers too */
	boolean deferringLines() {
		return this.deferringLines;
	}

	/** Collects an event for global subscribers. Call while deferring (an output line: while deferring lines). */
	void defer(Event event) {
		this.deferredEvents.add(event);
	}

	/**
	 * Defers lines staged undecoded, for the global subscribers. Call while deferring lines.
	 * @param run the lines' run
	 * @param refs their references
	 * @param from the first
	 * @param to after the last
	 * @param firstSeq the seq of the first
	 */
	void deferLines(LineRun run, long[] refs, int from, int to, long firstSeq) {
		this.deferredEvents.addLines(run, refs, from, to, firstSeq);
	}

	/** @return how many more events may be deferred before a publish falls due, at least one */
	int deferredRoom() {
		return Math.max(1, this.publishDeferredAt - this.deferredEvents.size());
	}

	/**
	 * Publishes the batch so far and wakes readers when the staged events fill a quarter of the replay window or of
	 * a global subscriber's buffer: one read of short lines can hold more lines than either, and published at the
	 * end it would make even readers that keep up lag. Call while batching.
	 */
	void publishIfDue() {
		if (this.eventLog.publishDue() || this.deferredEvents.size() >= this.publishDeferredAt
				|| this.deferredEvents.cost() >= this.publishDeferredCost) {
			publishBatchSoFar();
			wakeReaders();
		}
	}

	// ---- reads ---------------------------------------------------------------------------------------------

	/**
	 * The events after a seq still in the replay window, output lines left out.
	 * @param afterSeq the seq the events follow
	 * @param limit the most to return
	 * @return the events, or {@code null} when some after {@code afterSeq} have left the window
	 */
	@Nullable List<Event> retained(long afterSeq, int limit) {
		long first = this.eventLog.firstSeq();
		long last = this.lastSeq;
		if (afterSeq < first - 1) {
			return null;
		}
		List<Event> events = new ArrayList<>();
		// min first: afterSeq + 1 would wrap past Long.MAX_VALUE
		for (long seq = Math.min(afterSeq, last) + 1; seq <= last && events.size() < limit; seq++) {
			Event event = this.eventLog.getUnlessOutput(seq);
			if (event != null) {
				events.add(event);
			}
		}
		return events;
	}

}
