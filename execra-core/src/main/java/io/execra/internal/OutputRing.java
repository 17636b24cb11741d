package io.execra.internal;

import io.execra.Event;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory part of a job's retained output: a ring of the newest lines (the job's own output events, so a
 * line costs no second object, added in bulk), with each line's cost and seq kept in arrays beside it, so that evicting the oldest line (once per line on a busy job) reads no old object and
 * misses no cache. Not thread-safe: guarded by the job's lock.
 */
final class OutputRing {

	private Event.@Nullable OutputAppended[] chunks = new Event.OutputAppended[64];

	private long[] seqs = new long[64];

	private int[] costs = new int[64];

	private int head;

	private int size;

	private long bytes;

	/**
	 * Appends lines in one bulk copy (see {@link RefBatch}).
	 * @param lines the lines, oldest first
	 * @param costs the cost of each
	 */
	void addAll(RefBatch lines, int[] costs) {
		int count = lines.size();
		while (this.size + count > this.chunks.length) {
			grow();
		}
		int mask = this.chunks.length - 1;
		int start = (this.head + this.size) & mask;
		for (int i = 0; i < count; i++) {
			int index = (start + i) & mask;
			this.seqs[index] = ((Event.OutputAppended) lines.get(i)).seq();
			this.costs[index] = costs[i];
			this.bytes += costs[i];
		}
		lines.copyTo(0, count, this.chunks, start);
		this.size += count;
	}

	/**
	 * Drops the oldest line.
	 * @return its seq
	 */
	long evictOldest() {
		int index = this.head;
		this.chunks[index] = null;
		this.bytes -= this.costs[index];
		this.head = (index + 1) & (this.chunks.length - 1);
		this.size--;
		return this.seqs[index];
	}

	int size() {
		return this.size;
	}

	boolean isEmpty() {
		return this.size == 0;
	}

	/** @return the total cost of the lines held */
	long bytes() {
		return this.bytes;
	}

	/**
	 * A line by position.
	 * @param position 0 for the oldest
	 * @return the line
	 */
	Event.OutputAppended get(int position) {
		return this.chunks[(this.head + position) & (this.chunks.length - 1)];
	}

	private void grow() {
		int capacity = this.chunks.length * 2;
		Event.OutputAppended[] biggerChunks = new Event.OutputAppended[capacity];
		long[] biggerSeqs = new long[capacity];
		int[] biggerCosts = new int[capacity];
		for (int i = 0; i < this.size; i++) {
			int from = (this.head + i) & (this.chunks.length - 1);
			biggerChunks[i] = this.chunks[from];
			biggerSeqs[i] = this.seqs[from];
			biggerCosts[i] = this.costs[from];
		}
		this.chunks = biggerChunks;
		this.seqs = biggerSeqs;
		this.costs = biggerCosts;
		this.head = 0;
	}

}
