package io.execra.internal.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

import io.execra.Event;
import org.jspecify.annotations.Nullable;

/**
 * A job's event log in memory: its newest events, held in {@link EventChunks}, seen through two windows.
 * <ul>
 * <li>The <em>replay window</em>: the newest events, bounded by count and by approximate bytes (the oldest leave
 * until both bounds hold, the last always stays). Readers take its events by seq without any lock.</li>
 * <li>The <em>retained output</em> ({@link RetainedOutput}): the newest output lines kept in memory, bounded by lines
 * and bytes the same way, read under the job's lock by {@link JobOutput}.</li>
 * </ul>
 * A chunk is dropped once neither window reaches into it. An event is stored in its chunk once, before its seq is
 * published, so a reader needs no check per event, only a lookup per chunk, and the writer stores each event once
 * into a young array (no G1 card-marking fence) with nothing to copy or clear when events leave. The writer stages
 * events and publishes the last seq with release semantics after a batch; the replay window's first seq moves with
 * release semantics too. A reader that keeps a chunk may still take events the replay window has just left (they
 * are whole and in order); one that needs a chunk already dropped, or an event before the first seq it saw, has
 * fallen out and resumes at the first retained seq.
 * <p>
 * Readers that have caught up wait in {@link #awaitAfter}; the writer wakes them with {@link #signal()} once per
 * batch. Writer methods are called under the job's lock.
 */
public final class EventLog {

	private static final VarHandle FIRST_SEQ;

	private static final VarHandle LAST_SEQ;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			FIRST_SEQ = lookup.findVarHandle(EventLog.class, "firstSeq", long.class);
			LAST_SEQ = lookup.findVarHandle(EventLog.class, "lastSeq", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final int maxEvents;

	private final long maxBytes;

	private final EventChunks chunks = new EventChunks();

	private final RetainedOutput output;

	private final EventWaiters waiters = new EventWaiters();

	/** The seq of the first event added, where chunk 0 starts. Written once, before that event is published. */
	private long base;

	private boolean started;

	/** Accessed through {@link #FIRST_SEQ}: release by the writer, acquire by readers. */
	@SuppressWarnings("unused")
	private long firstSeq = 1;

	/** Accessed through {@link #LAST_SEQ}: release by the writer, acquire by readers. */
	@SuppressWarnings("unused")
	private long lastSeq;

	/** The writer's own copies of the replay window's bounds, read without fences. */
	private long first = 1;

	private long last;

	/** The seq of the last event staged (equal to {@link #last} when nothing is staged). */
	private long staged;

	/** The replay window's cost, staged events included. */
	private long bytes;

	/** The replay window's cost when it was last published. */
	private long publishedBytes;

	/** Staged events, by count and by cost, that make a publish due (see {@link #publishDue()}). */
	private final long publishEvents;

	private final long publishCost;

	/**
	 * A log with its two windows' bounds.
	 * @param maxEvents events the replay window keeps at most
	 * @param maxBytes cost of the events the replay window keeps at most (see {@link #cost})
	 * @param maxOutputLines output lines retained at most
	 * @param maxOutputBytes cost of the output lines retained at most (see {@link JobOutput})
	 */
	public EventLog(int maxEvents, long maxBytes, int maxOutputLines, long maxOutputBytes) {
		this.maxEvents = maxEvents;
		this.maxBytes = maxBytes;
		this.publishEvents = Math.max(1, maxEvents / 4);
		this.publishCost = Math.max(1, maxBytes / 4);
		this.output = new RetainedOutput(this.chunks, maxOutputLines, maxOutputBytes);
	}

	/** A log that retains no output: a replay window only. */
	public EventLog(int maxEvents, long maxBytes) {
		this(maxEvents, maxBytes, 0, 0);
	}

	// ---- writer -------------------------------------------------------------------------------------------

	/**
	 * Appends an event with a seq above the last (any seq for the first), evicting as needed, and makes it visible
	 * to readers, after any staged ones.
	 * @param event the event
	 */
	public void add(Event event) {
		stage(event, cost(event), 0);
		publishStaged();
	}

	/**
	 * Appends an event like {@link #add}, but only stages it: readers see it, and the windows' bounds apply, at
	 * the next {@link #publishStaged()} (or {@link #add}).
	 * @param event the event
	 */
	public void stage(Event event) {
		stage(event, cost(event), 0);
	}

	/**
	 * Stages an event whose costs the caller has at hand, and which may be an output line retained in memory.
	 * Small enough for the JIT to inline into the decoding loop.
	 * @param event the event
	 * @param cost its cost in the replay window (see {@link #cost})
	 * @param outputCost its cost as retained output, or 0 if it is not an output line kept in memory
	 */
	public void stage(Event event, int cost, int outputCost) {
		long seq = event.seq();
		EventChunks.Chunk chunk = chunkFor(seq);
		int index = EventChunks.index(seq - this.base);
		chunk.events[index] = event;
		chunk.costs(index, cost, outputCost);
		staged(seq, cost, outputCost);
	}

	/**
	 * Stages consecutive output lines of one read undecoded, each as a reference into the bytes of its read: readers
	 * decode it when they take it. Their costs follow from their lengths ({@link #lineCost}, {@link JobOutput#cost}).
	 * Staged chunk by chunk, otherwise like {@link #stage(Event, int, int)}, until one makes a publish due: the
	 * writer then publishes before it stages the rest.
	 * @param seq the first line's seq
	 * @param lines the lines of their read
	 * @param refs their references into them (see {@link UndecodedLines#ref})
	 * @param from the index of the first line's reference
	 * @param to the index after the last line's
	 * @param retained whether they are kept in memory as output (at {@link JobOutput#cost}) too
	 * @return how many were staged, at least one
	 */
	public int stage(long seq, UndecodedLines lines, long[] refs, int from, int to, boolean retained) {
		int i = from;
		long next = seq;
		while (i < to) {
			EventChunks.Chunk chunk = chunkFor(next);
			int index = EventChunks.index(next - this.base);
			int end = Math.min(to, i + EventChunks.SIZE - index);
			for (; i < end; i++, index++, next++) {
				long ref = refs[i];
				// the length in bytes stands for the characters: the same for ASCII, an upper bound otherwise
				int length = UndecodedLines.length(ref);
				chunk.events[index] = lines;
				chunk.lineRefs[index] = retained ? ref | EventChunks.RETAINED : ref;
				staged(next, lineCost(length), retained ? JobOutput.cost(length) : 0);
				if (publishDue()) {
					return i + 1 - from;
				}
			}
		}
		return to - from;
	}

	/** The chunk an event with this seq is staged in, starting the log at its first event. */
	private EventChunks.Chunk chunkFor(long seq) {
		if (seq <= this.staged || !this.started) {
			begin(seq);
		}
		return this.chunks.forWriting(seq - this.base);
	}

	/** Accounts for an event just stored in its slot, with its costs. */
	private void staged(long seq, int cost, int outputCost) {
		this.bytes += cost;
		if (outputCost > 0) {
			this.output.added(seq, outputCost);
		}
		this.staged = seq;
	}

	/** Starts the log at its first event; any later seq not above the last staged is refused. */
	private void begin(long seq) {
		if (this.started) {
			throw new IllegalArgumentException("seq " + seq + " does not follow " + this.staged);
		}
		this.started = true;
		this.base = seq;
		this.first = seq;
		this.output.start(seq);
		FIRST_SEQ.setRelease(this, seq);
	}

	/**
	 * Makes the staged events visible to readers, then applies the windows' bounds, leaving them as adding the
	 * events one by one would: evicting from the front until the bounds hold gives the same longest suffix either
	 * way.
	 */
	public void publishStaged() {
		long seq = this.staged;
		if (seq == this.last) {
			return;
		}
		this.last = seq;
		LAST_SEQ.setRelease(this, seq);
		evictReplay();
		this.publishedBytes = this.bytes;
		this.output.evict();
		// readers that need the chunks before both windows have fallen out
		this.chunks.dropBefore(Math.min(this.first, this.output.reach(seq)) - this.base);
	}

	/**
	 * Whether the staged events fill a quarter of the replay window, by count or by cost, so that the writer should
	 * publish them (and wake readers) before staging more. Published all at once, a batch larger than the window
	 * would evict its own first events before any reader could take them: a reader that keeps up would lose them.
	 * @return whether to publish now
	 */
	public boolean publishDue() {
		return this.staged - this.last >= this.publishEvents || this.bytes - this.publishedBytes >= this.publishCost;
	}

	private void evictReplay() {
		long newFirst = this.first;
		long cost = this.bytes;
		// the count bound: the events before the newest maxEvents leave at once
		long byCount = this.last - Math.max(1, this.maxEvents) + 1;
		if (byCount > newFirst) {
			cost -= costs(newFirst, byCount);
			newFirst = byCount;
		}
		// the byte bound: the oldest leave one by one, the last always stays
		EventChunks.Chunk chunk = null;
		while (cost > this.maxBytes && newFirst < this.last) {
			long offset = newFirst - this.base;
			if (chunk == null || chunk.number != EventChunks.number(offset)) {
				chunk = this.chunks.held(EventChunks.number(offset));
			}
			cost -= chunk.cost(EventChunks.index(offset));
			newFirst++;
		}
		if (newFirst != this.first) {
			this.bytes = cost;
			this.first = newFirst;
			FIRST_SEQ.setRelease(this, newFirst);
		}
	}

	/** The replay costs of the events from one seq to another (excluded), a chunk at a time. */
	private long costs(long from, long to) {
		long sum = 0;
		long seq = from;
		while (seq < to) {
			long offset = seq - this.base;
			EventChunks.Chunk chunk = this.chunks.held(EventChunks.number(offset));
			int start = EventChunks.index(offset);
			int end = (int) Math.min(EventChunks.SIZE, start + (to - seq));
			for (int i = start; i < end; i++) {
				sum += chunk.cost(i);
			}
			seq += end - start;
		}
		return sum;
	}

	/**
	 * The chunks held in memory, for tests of the bounds. Writer only.
	 * @return how many
	 */
	int chunksHeld() {
		return this.chunks.count();
	}

	/**
	 * Wakes the readers waiting in {@link #awaitAfter}, after a batch of events. Writer only.
	 */
	public void signal() {
		this.waiters.signal();
	}

	/**
	 * Wakes every waiting reader, so that each checks whether it should stop waiting.
	 */
	public void wakeAll() {
		this.waiters.wakeAll();
	}

	/**
	 * Waits until an event after the given seq is published, the time is up, or {@code stop} says so; wakes up at
	 * {@link #signal()} and {@link #wakeAll()}.
	 * @param seq the last seq the reader has
	 * @param nanos the longest wait
	 * @param stop checked before each wait
	 * @return the time left
	 * @throws InterruptedException if interrupted while waiting
	 */
	public long awaitAfter(long seq, long nanos, BooleanSupplier stop) throws InterruptedException {
		return this.waiters.await(() -> lastSeq() > seq, nanos, stop);
	}

	// ---- replay window ------------------------------------------------------------------------------------

	/**
	 * The replay window's first seq, or the next seq to come when nothing was added yet. Any thread.
	 * @return the seq
	 */
	public long firstSeq() {
		return (long) FIRST_SEQ.getAcquire(this);
	}

	/**
	 * The seq of the newest event published, 0 before the first. Any thread.
	 * @return the seq
	 */
	long lastSeq() {
		return (long) LAST_SEQ.getAcquire(this);
	}

	/**
	 * The event with this seq, if in the replay window. Any thread, without a lock: an event leaving the window
	 * while this looks for it may or may not be returned.
	 * @param seq the seq
	 * @return the event, or {@code null} if the seq is not in the window (left it, or not published yet)
	 */
	@Nullable Event get(long seq) {
		EventChunks.Chunk chunk = chunkInWindow(seq);
		return (chunk != null) ? EventChunks.event(chunk, EventChunks.index(seq - this.base), seq) : null;
	}

	/**
	 * The event with this seq, if in the replay window and not an output line: {@link #get} without decoding lines
	 * only to skip them.
	 * @param seq the seq
	 * @return the event, or {@code null} if it is an output line or not in the window
	 */
	public @Nullable Event getUnlessOutput(long seq) {
		EventChunks.Chunk chunk = chunkInWindow(seq);
		Object stored = (chunk != null) ? chunk.events[EventChunks.index(seq - this.base)] : null;
		return (stored instanceof Event event && !(event instanceof Event.OutputAppended)) ? event : null;
	}

	/** The chunk of a seq in the replay window, or {@code null} if the seq is not in it. Any thread. */
	private EventChunks.@Nullable Chunk chunkInWindow(long seq) {
		if (seq > lastSeq() || seq < firstSeq()) {
			return null;
		}
		return EventChunks.find(this.chunks.ring(), EventChunks.number(seq - this.base));
	}

	/**
	 * A reader positioned after the given seq.
	 * @param afterSeq the last seq the reader has
	 * @return the reader
	 */
	public Reader reader(long afterSeq) {
		return new Reader(afterSeq);
	}

	/**
	 * A reader's position in the log. It reads what the writer shares only when it must: the last and first seqs
	 * once it has taken every event known to exist, the ring of chunks when it moves to the next chunk. So a reader
	 * keeping up neither pulls the writer's cache lines away from it at every event nor checks each event it
	 * takes. Not thread-safe: one per reading thread at a time.
	 */
	public final class Reader {

		private long position;

		private long known;

		private long knownFirst;

		/** The log's base, copied: the writer changes fields beside it at every event. */
		private long base;

		private EventChunks.@Nullable Chunk chunk;

		private EventChunks.Chunk[] ring = EventLog.this.chunks.ring();

		private Reader(long afterSeq) {
			this.position = afterSeq;
		}

		/** @return the seq of the last event taken */
		public long position() {
			return this.position;
		}

		/**
		 * Takes the events after the position, in order, as many as are published and fit, looking up each chunk
		 * once rather than once per event.
		 * @param into where to put them, from index 0
		 * @return how many were taken; 0 if none is published yet or the next was evicted (see {@link #missedNext()})
		 */
		public int take(Object[] into) {
			long wanted = this.position + 1;
			if (wanted > this.known) {
				this.known = lastSeq();
				if (wanted > this.known) {
					return 0;
				}
				this.knownFirst = firstSeq();
				this.base = EventLog.this.base;
			}
			if (wanted < this.knownFirst) {
				return 0;
			}
			long end = Math.min(this.known, wanted + into.length - 1);
			int count = 0;
			taking: while (wanted <= end) {
				long offset = wanted - this.base;
				EventChunks.Chunk chunk = chunk(EventChunks.number(offset));
				if (chunk == null) {
					break;
				}
				int index = EventChunks.index(offset);
				int stop = (int) Math.min(EventChunks.SIZE, index + (end - wanted + 1));
				for (; index < stop; index++, wanted++) {
					Event event = EventChunks.event(chunk, index, wanted);
					if (event == null) {
						break taking;
					}
					into[count++] = event;
				}
			}
			this.position = wanted - 1;
			return count;
		}

		/** The chunk of this number, if still held: the one last used, or found in the ring (taken anew if need be). */
		private EventChunks.@Nullable Chunk chunk(long number) {
			EventChunks.Chunk chunk = this.chunk;
			if (chunk == null || chunk.number != number) {
				chunk = EventChunks.find(this.ring, number);
				if (chunk == null) {
					// the ring may have grown since this reader took it
					this.ring = EventLog.this.chunks.ring();
					chunk = EventChunks.find(this.ring, number);
					if (chunk == null) {
						return null;
					}
				}
				this.chunk = chunk;
			}
			return chunk;
		}

		/**
		 * Whether the event after the position was evicted before it was taken, when {@link #take} found nothing.
		 * @return {@code true} if the reader fell out of the window
		 */
		public boolean missedNext() {
			return this.position < this.known;
		}

		/**
		 * Moves the position to just before the first event of the replay window.
		 * @return the seq of that event
		 */
		public long skipToFirst() {
			// past the missed event even if the move of the first seq is not seen yet
			long first = Math.max(firstSeq(), this.position + 2);
			this.position = first - 1;
			this.knownFirst = first;
			return first;
		}

	}

	/**
	 * An event's cost in the replay window: approximate bytes of its text.
	 * @param event the event
	 * @return the cost
	 */
	static int cost(Event event) {
		if (event instanceof Event.OutputAppended output) {
			return lineCost(output.line().length());
		}
		return 128;
	}

	/**
	 * The cost of an output line in the replay window.
	 * @param chars the line's length in characters
	 * @return the cost
	 */
	public static int lineCost(int chars) {
		return 64 + chars * 2;
	}

	// ---- retained output (writer only, under the job's lock) -----------------------------------------------

	/**
	 * The oldest output line retained with a seq above the given one, staged lines included.
	 * @param afterSeq the seq
	 * @return the line, or {@code null} if there is none
	 */
	public Event.@Nullable OutputAppended outputAfter(long afterSeq) {
		return this.output.after(afterSeq, this.staged);
	}

	/**
	 * The newest output line retained with a seq below the given one, staged lines included.
	 * @param beforeSeq the seq
	 * @return the line, or {@code null} if there is none
	 */
	public Event.@Nullable OutputAppended outputBefore(long beforeSeq) {
		return this.output.before(beforeSeq, this.staged);
	}

	/**
	 * Lets every retained output line go (see {@link RetainedOutput#release}).
	 */
	public void releaseOutput() {
		this.output.release(this.staged);
	}

	/**
	 * The seq of the newest output line that left the retained output (for its bounds, or released), or 0.
	 * @return the seq
	 */
	public long outputEvictedUpTo() {
		return this.output.evictedUpTo();
	}

	/**
	 * Whether output lines are retained in memory at all.
	 * @return {@code false} when either output bound is zero
	 */
	public boolean retainsOutput() {
		return this.output.retains();
	}

}
