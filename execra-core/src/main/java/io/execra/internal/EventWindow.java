package io.execra.internal;

import io.execra.Event;
import org.jspecify.annotations.Nullable;

/**
 * A job's replay window: the newest events with contiguous seqs, bounded by count and by approximate bytes (the
 * oldest are evicted until both bounds hold). Not thread-safe: guarded by the job's lock.
 */
final class EventWindow {

	private final int maxEvents;

	private final long maxBytes;

	private Event[] ring = new Event[16];

	private int[] sizes = new int[16];

	private int head;

	private int size;

	private long bytes;

	private long firstSeq = 1;

	EventWindow(int maxEvents, long maxBytes) {
		this.maxEvents = maxEvents;
		this.maxBytes = maxBytes;
	}

	void add(Event event) {
		int cost = cost(event);
		if (this.size == this.ring.length && this.size < this.maxEvents) {
			grow();
		}
		if (this.size == this.ring.length) {
			evictOldest();
		}
		int index = (this.head + this.size) % this.ring.length;
		this.ring[index] = event;
		this.sizes[index] = cost;
		if (this.size == 0) {
			this.firstSeq = event.seq();
		}
		this.size++;
		this.bytes += cost;
		while (this.size > 1 && (this.size > this.maxEvents || this.bytes > this.maxBytes)) {
			evictOldest();
		}
	}

	private void grow() {
		int capacity = Math.min(this.maxEvents, this.ring.length * 2);
		Event[] bigger = new Event[capacity];
		int[] biggerSizes = new int[capacity];
		for (int i = 0; i < this.size; i++) {
			int from = (this.head + i) % this.ring.length;
			bigger[i] = this.ring[from];
			biggerSizes[i] = this.sizes[from];
		}
		this.ring = bigger;
		this.sizes = biggerSizes;
		this.head = 0;
	}

	private void evictOldest() {
		this.bytes -= this.sizes[this.head];
		this.ring[this.head] = null;
		this.head = (this.head + 1) % this.ring.length;
		this.size--;
		this.firstSeq++;
	}

	/**
	 * The first seq still retained, or the next seq to come when the window is empty.
	 * @return the seq
	 */
	long firstSeq() {
		return this.firstSeq;
	}

	/**
	 * The event with this seq, if retained.
	 * @param seq the seq
	 * @return the event or {@code null}
	 */
	@Nullable Event get(long seq) {
		long offset = seq - this.firstSeq;
		if (offset < 0 || offset >= this.size) {
			return null;
		}
		return this.ring[(int) ((this.head + offset) % this.ring.length)];
	}

	static int cost(Event event) {
		if (event instanceof Event.OutputAppended output) {
			return 64 + output.line().length() * 2;
		}
		return 128;
	}

}
