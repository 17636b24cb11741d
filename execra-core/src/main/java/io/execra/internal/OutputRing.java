package io.execra.internal;

import java.util.Arrays;

import io.execra.Event;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory part of a job's retained output: a ring of the newest lines (the job's own output events, so a
 * line costs no second object), with each line's cost and seq kept in arrays beside it, so that evicting the
 * oldest lines reads no old object and misses no cache. Lines are added and evicted in runs, a bulk copy and a
 * fill each. Not thread-safe: guarded by the job's lock.
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
	 * Drops the oldest lines while more than one is held and either bound is passed, clearing their slots with one
	 * fill.
	 * @param maxLines lines kept at most
	 * @param maxBytes total cost kept at most
	 * @return the seq of the newest line dropped, or -1 if none was
	 */
	long evictBeyond(int maxLines, long maxBytes) {
		int mask = this.chunks.length - 1;
		int dropped = 0;
		long seq = -1;
		while (this.size - dropped > 1 && (this.size - dropped > maxLines || this.bytes > maxBytes)) {
			int index = (this.head + dropped) & mask;
			this.bytes -= this.costs[index];
			seq = this.seqs[index];
			dropped++;
		}
		int first = Math.min(dropped, this.chunks.length - this.head);
		Arrays.fill(this.chunks, this.head, this.head + first, null);
		Arrays.fill(this.chunks, 0, dropped - first, null);
		this.head = (this.head + dropped) & mask;
		this.size -= dropped;
		return seq;
	}

	int size() {
		return this.size;
	}

	boolean isEmpty() {
		return this.size == 0;
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
