package io.execra.internal.log;

import io.execra.Event;
import org.jspecify.annotations.Nullable;

/**
 * The output lines of a job kept in memory, as a window of its {@link EventLog}: the newest lines marked as
 * retained, bounded by lines and by approximate bytes (the oldest leave until both bounds hold, the last always
 * stays). Lines are found by scanning the log's chunks from the oldest retained one, skipping the job's other
 * events. Used by {@link JobOutput}; not thread-safe: the writer's, under the job's lock.
 */
final class RetainedOutput {

	private final EventChunks chunks;

	private final int maxLines;

	private final long maxBytes;

	/** The seq of the log's first event, where chunk 0 starts. */
	private long base;

	/** The oldest line retained, or a seq after the last staged event when none is. */
	private long first = 1;

	private int lines;

	private long bytes;

	/** The newest line that left: for the bounds, or let go. */
	private long evictedUpTo;

	RetainedOutput(EventChunks chunks, int maxLines, long maxBytes) {
		this.chunks = chunks;
		this.maxLines = maxLines;
		this.maxBytes = maxBytes;
	}

	/**
	 * Whether lines are retained at all.
	 * @return {@code false} when either bound is zero
	 */
	boolean retains() {
		return this.maxLines > 0 && this.maxBytes > 0;
	}

	/** The log starts at this seq. */
	void start(long seq) {
		this.base = seq;
		this.first = seq;
	}

	/** A line staged as retained, its cost already in its chunk. */
	void added(long seq, int cost) {
		if (this.lines++ == 0) {
			this.first = seq;
		}
		this.bytes += cost;
	}

	/**
	 * The oldest seq this window reaches, for dropping chunks.
	 * @param staged the last seq staged
	 * @return the seq
	 */
	long reach(long staged) {
		return (this.lines == 0) ? staged + 1 : this.first;
	}

	/** Applies the bounds after a batch, evicting from the oldest line. */
	void evict() {
		if (!overBounds()) {
			return;
		}
		long seq = this.first;
		evicting: while (true) {
			long offset = seq - this.base;
			EventChunks.Chunk chunk = this.chunks.held(EventChunks.number(offset));
			int index = EventChunks.index(offset);
			if (index == 0 && leavesWhole(chunk)) {
				this.lines -= chunk.retainedLines();
				this.bytes -= chunk.retainedCostSum();
				if (chunk.retainedLines() > 0) {
					this.evictedUpTo = seq + chunk.lastRetained();
				}
				seq += EventChunks.SIZE;
				continue;
			}
			for (int i = index; i < EventChunks.SIZE; i++, seq++) {
				int cost = chunk.outputCost(i);
				if (cost > 0) {
					if (!overBounds()) {
						break evicting;
					}
					this.lines--;
					this.bytes -= cost;
					this.evictedUpTo = seq;
				}
			}
		}
		// seq is the oldest line still retained: there is one, the last always stays
		this.first = seq;
	}

	/**
	 * Whether evicting line by line would take every retained line of a chunk, seen from its first slot: the lines
	 * retained from there on are all counted here, so the chunk's sums are theirs, and the bounds would still not
	 * hold before its last line left. A chunk holding none leaves if a line after it is retained.
	 */
	private boolean leavesWhole(EventChunks.Chunk chunk) {
		int left = this.lines - chunk.retainedLines();
		return left >= 1 && (left >= this.maxLines || this.bytes - chunk.retainedCostSum() >= this.maxBytes);
	}

	private boolean overBounds() {
		return this.lines > 1 && (this.lines > this.maxLines || this.bytes > this.maxBytes);
	}

	/**
	 * Lets every retained line go, as when the job's output spills to its log file, which then holds them: lines
	 * retained from before would otherwise hold every chunk after them in memory.
	 * @param staged the last seq staged
	 */
	void release(long staged) {
		if (this.lines > 0) {
			this.lines = 0;
			this.bytes = 0;
			this.evictedUpTo = staged;
			this.first = staged + 1;
		}
	}

	/**
	 * The seq of the newest line that left (for the bounds, or let go), or 0.
	 * @return the seq
	 */
	long evictedUpTo() {
		return this.evictedUpTo;
	}

	/**
	 * The oldest retained line with a seq above the given one.
	 * @param afterSeq the seq
	 * @param staged the last seq staged
	 * @return the line, or {@code null} if there is none
	 */
	Event.@Nullable OutputAppended after(long afterSeq, long staged) {
		if (this.lines == 0) {
			return null;
		}
		// min first: afterSeq + 1 would wrap past Long.MAX_VALUE
		for (long seq = Math.max(Math.min(afterSeq, staged) + 1, this.first); seq <= staged; seq++) {
			Event.OutputAppended line = lineAt(seq);
			if (line != null) {
				return line;
			}
		}
		return null;
	}

	/**
	 * The newest retained line with a seq below the given one.
	 * @param beforeSeq the seq
	 * @param staged the last seq staged
	 * @return the line, or {@code null} if there is none
	 */
	Event.@Nullable OutputAppended before(long beforeSeq, long staged) {
		if (this.lines == 0) {
			return null;
		}
		for (long seq = Math.min(beforeSeq - 1, staged); seq >= this.first; seq--) {
			Event.OutputAppended line = lineAt(seq);
			if (line != null) {
				return line;
			}
		}
		return null;
	}

	/** The event with this seq if it is a line marked as retained (its output cost is set), else {@code null}. */
	private Event.@Nullable OutputAppended lineAt(long seq) {
		long offset = seq - this.base;
		EventChunks.Chunk chunk = this.chunks.held(EventChunks.number(offset));
		int index = EventChunks.index(offset);
		return (chunk.outputCost(index) > 0) ? (Event.OutputAppended) EventChunks.event(chunk, index, seq) : null;
	}

}
