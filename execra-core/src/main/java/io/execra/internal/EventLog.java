package io.execra.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import io.execra.Event;
import org.jspecify.annotations.Nullable;

/**
 * A job's event log in memory: its newest events, in chunks of {@value #CHUNK_SIZE} consecutive seqs, seen through
 * two windows.
 * <ul>
 * <li>The <em>replay window</em>: the newest events, bounded by count and by approximate bytes (the oldest leave
 * until both bounds hold, the last always stays). Readers take its events by seq without any lock.</li>
 * <li>The <em>retained output</em>: the newest output lines kept in memory, bounded by lines and bytes the same way,
 * read under the job's lock (see {@link JobOutput}).</li>
 * </ul>
 * A chunk is dropped once neither window reaches into it. Chunks are never reused, and an event is stored in its
 * chunk once, before its seq is published; so a reader needs no check per event, only a lookup per chunk, and the
 * writer stores each event once into a young array (no G1 card-marking fence) with nothing to copy or clear when
 * events leave. The writer stages events and publishes the last seq with release semantics after a batch; the
 * replay window's first seq moves with release semantics too. A reader that keeps a chunk may still take events
 * the replay window has just left (they are whole and in order); one that needs a chunk already dropped, or an
 * event before the first seq it saw, has fallen out and resumes at the first retained seq.
 * <p>
 * Readers that have caught up wait in {@link #awaitAfter}; the writer wakes them with {@link #signal()} once per
 * batch, which costs a fence and a read when nobody waits. Writer methods are called under the job's lock.
 */
final class EventLog {

	/** Consecutive seqs per chunk. */
	static final int CHUNK_SIZE = 256;

	private static final int CHUNK_SHIFT = Integer.numberOfTrailingZeros(CHUNK_SIZE);

	private static final int CHUNK_MASK = CHUNK_SIZE - 1;

	private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(Chunk[].class);

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

	/**
	 * Consecutive seqs from {@code base + number * CHUNK_SIZE}. Its events are written once each, before their seq
	 * is published; the costs are the writer's.
	 */
	private static final class Chunk {

		final long number;

		/** {@code Object[]}: an {@code Event[]} would check the type of every store at run time. */
		final Object[] events = new Object[CHUNK_SIZE];

		/** Each event's cost in the replay window. Writer only. */
		final int[] costs = new int[CHUNK_SIZE];

		/** Each event's cost as retained output; 0 for an event that is not a line kept in memory. Writer only. */
		final int[] outputCosts = new int[CHUNK_SIZE];

		Chunk(long number) {
			this.number = number;
		}

	}

	private final int maxEvents;

	private final long maxBytes;

	private final int maxOutputLines;

	private final long maxOutputBytes;

	/** Ring of the chunks held, indexed by {@code number & (length - 1)}; replaced, never shrunk, when it grows. */
	private volatile @Nullable Chunk[] chunks = new Chunk[4];

	/** The seq of the first event added, where chunk 0 starts. Written once, before that event is published. */
	private long base;

	private boolean started;

	/** The chunk being filled. Writer only. */
	private @Nullable Chunk current;

	/** The oldest chunk held. Writer only. */
	private long oldestChunk;

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

	/** The oldest output line retained, or the seq after the last staged event when none is. Writer only. */
	private long outputFirst = 1;

	private int outputLines;

	private long outputBytes;

	/** The newest output line that left the retained output. Writer only. */
	private long outputEvictedUpTo;

	private final AtomicInteger waiters = new AtomicInteger();

	private final ReentrantLock waiting = new ReentrantLock();

	private final Condition published = this.waiting.newCondition();

	/**
	 * A log with its two windows' bounds.
	 * @param maxEvents events the replay window keeps at most
	 * @param maxBytes cost of the events the replay window keeps at most (see {@link #cost})
	 * @param maxOutputLines output lines retained at most
	 * @param maxOutputBytes cost of the output lines retained at most (see {@link JobOutput})
	 */
	EventLog(int maxEvents, long maxBytes, int maxOutputLines, long maxOutputBytes) {
		this.maxEvents = maxEvents;
		this.maxBytes = maxBytes;
		this.maxOutputLines = maxOutputLines;
		this.maxOutputBytes = maxOutputBytes;
	}

	/** A log that retains no output: a replay window only. */
	EventLog(int maxEvents, long maxBytes) {
		this(maxEvents, maxBytes, 0, 0);
	}

	// ---- writer -------------------------------------------------------------------------------------------

	/**
	 * Appends an event with a seq above the last (any seq for the first), evicting as needed, and makes it visible
	 * to readers, after any staged ones.
	 * @param event the event
	 */
	void add(Event event) {
		stage(event, cost(event), 0);
		publishStaged();
	}

	/**
	 * Appends an event like {@link #add}, but only stages it: readers see it, and the windows' bounds apply, at
	 * the next {@link #publishStaged()} (or {@link #add}).
	 * @param event the event
	 */
	void stage(Event event) {
		stage(event, cost(event), 0);
	}

	/**
	 * Stages an event whose costs the caller has at hand, and which may be an output line retained in memory.
	 * Small enough for the JIT to inline into the decoding loop.
	 * @param event the event
	 * @param cost its cost in the replay window (see {@link #cost})
	 * @param outputCost its cost as retained output, or 0 if it is not an output line kept in memory
	 */
	void stage(Event event, int cost, int outputCost) {
		long seq = event.seq();
		if (seq <= this.staged || !this.started) {
			begin(seq);
		}
		long offset = seq - this.base;
		long number = offset >>> CHUNK_SHIFT;
		Chunk chunk = this.current;
		if (chunk == null || chunk.number != number) {
			chunk = startChunk(number);
		}
		int index = (int) offset & CHUNK_MASK;
		chunk.events[index] = event;
		chunk.costs[index] = cost;
		this.bytes += cost;
		if (outputCost > 0) {
			chunk.outputCosts[index] = outputCost;
			if (this.outputLines++ == 0) {
				this.outputFirst = seq;
			}
			this.outputBytes += outputCost;
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
		this.outputFirst = seq;
		FIRST_SEQ.setRelease(this, seq);
	}

	private Chunk startChunk(long number) {
		Chunk chunk = new Chunk(number);
		Chunk[] ring = this.chunks;
		if (number - this.oldestChunk >= ring.length) {
			ring = grow(ring, number - this.oldestChunk + 1);
		}
		CHUNKS.setRelease(ring, (int) number & (ring.length - 1), chunk);
		this.current = chunk;
		return chunk;
	}

	private Chunk[] grow(Chunk[] ring, long needed) {
		int length = ring.length * 2;
		while (length < needed) {
			length *= 2;
		}
		Chunk[] bigger = new Chunk[length];
		Chunk last = this.current;
		if (last != null) {
			for (long number = this.oldestChunk; number <= last.number; number++) {
				bigger[(int) number & (length - 1)] = ring[(int) number & (ring.length - 1)];
			}
		}
		this.chunks = bigger;
		return bigger;
	}

	/**
	 * Makes the staged events visible to readers, then applies the windows' bounds, leaving them as adding the
	 * events one by one would: evicting from the front until the bounds hold gives the same longest suffix either
	 * way.
	 */
	void publishStaged() {
		long seq = this.staged;
		if (seq == this.last) {
			return;
		}
		this.last = seq;
		LAST_SEQ.setRelease(this, seq);
		evictReplay();
		evictOutput();
		dropChunksBefore(Math.min(this.first, this.outputFirst));
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
		Chunk chunk = null;
		while (cost > this.maxBytes && newFirst < this.last) {
			long offset = newFirst - this.base;
			if (chunk == null || chunk.number != offset >>> CHUNK_SHIFT) {
				chunk = held(offset >>> CHUNK_SHIFT);
			}
			cost -= chunk.costs[(int) offset & CHUNK_MASK];
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
			int[] costs = held(offset >>> CHUNK_SHIFT).costs;
			int start = (int) offset & CHUNK_MASK;
			int end = (int) Math.min(CHUNK_SIZE, start + (to - seq));
			for (int i = start; i < end; i++) {
				sum += costs[i];
			}
			seq += end - start;
		}
		return sum;
	}

	private void evictOutput() {
		if (this.outputLines == 0) {
			this.outputFirst = this.staged + 1;
			return;
		}
		if (!outputOverBounds()) {
			return;
		}
		long seq = this.outputFirst;
		evicting: while (true) {
			long offset = seq - this.base;
			int[] costs = held(offset >>> CHUNK_SHIFT).outputCosts;
			for (int i = (int) offset & CHUNK_MASK; i < CHUNK_SIZE; i++, seq++) {
				int cost = costs[i];
				if (cost > 0) {
					if (!outputOverBounds()) {
						break evicting;
					}
					this.outputLines--;
					this.outputBytes -= cost;
					this.outputEvictedUpTo = seq;
				}
			}
		}
		// seq is the oldest line still retained: there is one, the last always stays
		this.outputFirst = seq;
	}

	private boolean outputOverBounds() {
		return this.outputLines > 1
				&& (this.outputLines > this.maxOutputLines || this.outputBytes > this.maxOutputBytes);
	}

	/** Drops the chunks wholly before the given seq: readers that need them have fallen out. */
	private void dropChunksBefore(long seq) {
		long keep = (seq - this.base) >>> CHUNK_SHIFT;
		Chunk[] ring = this.chunks;
		while (this.oldestChunk < keep) {
			CHUNKS.setRelease(ring, (int) this.oldestChunk & (ring.length - 1), null);
			this.oldestChunk++;
		}
	}

	/**
	 * The chunks held in memory, for tests of the bounds. Writer only.
	 * @return how many
	 */
	int chunksHeld() {
		return (this.current == null) ? 0 : (int) (this.current.number - this.oldestChunk + 1);
	}

	/** A chunk the writer holds. */
	private Chunk held(long number) {
		Chunk chunk = find(this.chunks, number);
		if (chunk == null) {
			throw new IllegalStateException("chunk " + number + " is not held (oldest " + this.oldestChunk + ")");
		}
		return chunk;
	}

	private static @Nullable Chunk find(Chunk[] ring, long number) {
		Chunk chunk = (Chunk) CHUNKS.getAcquire(ring, (int) number & (ring.length - 1));
		return (chunk != null && chunk.number == number) ? chunk : null;
	}

	/**
	 * Wakes the readers waiting in {@link #awaitAfter}, after a batch of events. Writer only.
	 */
	void signal() {
		VarHandle.fullFence();
		if (this.waiters.get() > 0) {
			wakeAll();
		}
	}

	/**
	 * Wakes every waiting reader, so that each checks whether it should stop waiting.
	 */
	void wakeAll() {
		this.waiting.lock();
		try {
			this.published.signalAll();
		}
		finally {
			this.waiting.unlock();
		}
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
	long awaitAfter(long seq, long nanos, BooleanSupplier stop) throws InterruptedException {
		// registered before the seq is checked, so that a writer publishing after the check sees the waiter
		this.waiters.incrementAndGet();
		this.waiting.lock();
		try {
			while (nanos > 0 && lastSeq() <= seq && !stop.getAsBoolean()) {
				nanos = this.published.awaitNanos(nanos);
			}
			return nanos;
		}
		finally {
			this.waiting.unlock();
			this.waiters.decrementAndGet();
		}
	}

	// ---- replay window ------------------------------------------------------------------------------------

	/**
	 * The replay window's first seq, or the next seq to come when nothing was added yet. Any thread.
	 * @return the seq
	 */
	long firstSeq() {
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
		if (seq > lastSeq() || seq < firstSeq()) {
			return null;
		}
		long offset = seq - this.base;
		Chunk chunk = find(this.chunks, offset >>> CHUNK_SHIFT);
		return (chunk != null) ? (Event) chunk.events[(int) offset & CHUNK_MASK] : null;
	}

	/**
	 * A reader positioned after the given seq.
	 * @param afterSeq the last seq the reader has
	 * @return the reader
	 */
	Reader reader(long afterSeq) {
		return new Reader(afterSeq);
	}

	/**
	 * A reader's position in the log. It reads what the writer shares only when it must: the last and first seqs
	 * once it has taken every event known to exist, the ring of chunks when it moves to the next chunk. So a reader
	 * keeping up neither pulls the writer's cache lines away from it at every event nor checks each event it
	 * takes. Not thread-safe: one per reading thread at a time.
	 */
	final class Reader {

		private long position;

		private long known;

		private long knownFirst;

		/** The log's base, copied: the writer changes fields beside it at every event. */
		private long base;

		private @Nullable Chunk chunk;

		private Chunk[] ring = EventLog.this.chunks;

		private Reader(long afterSeq) {
			this.position = afterSeq;
		}

		/** @return the seq of the last event taken */
		long position() {
			return this.position;
		}

		/**
		 * Takes the event after the position.
		 * @return the event, or {@code null} if it is not published yet or was evicted (see {@link #missedNext()})
		 */
		@Nullable Event next() {
			long wanted = this.position + 1;
			if (wanted > this.known) {
				this.known = lastSeq();
				if (wanted > this.known) {
					return null;
				}
				this.knownFirst = firstSeq();
				this.base = EventLog.this.base;
			}
			if (wanted < this.knownFirst) {
				return null;
			}
			long offset = wanted - this.base;
			long number = offset >>> CHUNK_SHIFT;
			Chunk chunk = this.chunk;
			if (chunk == null || chunk.number != number) {
				chunk = find(this.ring, number);
				if (chunk == null) {
					// the ring may have grown since this reader took it
					this.ring = EventLog.this.chunks;
					chunk = find(this.ring, number);
					if (chunk == null) {
						return null;
					}
				}
				this.chunk = chunk;
			}
			Event event = (Event) chunk.events[(int) offset & CHUNK_MASK];
			if (event != null) {
				this.position = wanted;
			}
			return event;
		}

		/**
		 * Whether the event after the position was evicted before it was taken, when {@link #next()} returned
		 * {@code null}.
		 * @return {@code true} if the reader fell out of the window
		 */
		boolean missedNext() {
			return this.position < this.known;
		}

		/**
		 * Moves the position to just before the first event of the replay window.
		 * @return the seq of that event
		 */
		long skipToFirst() {
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
	static int lineCost(int chars) {
		return 64 + chars * 2;
	}

	// ---- retained output (writer only, under the job's lock) -----------------------------------------------

	/**
	 * The oldest output line retained with a seq above the given one, staged lines included.
	 * @param afterSeq the seq
	 * @return the line, or {@code null} if there is none
	 */
	Event.@Nullable OutputAppended outputAfter(long afterSeq) {
		if (this.outputLines == 0) {
			return null;
		}
		long seq = nextOutput(Math.max(afterSeq, this.outputFirst - 1), this.staged);
		return (seq <= this.staged) ? outputAt(seq) : null;
	}

	/**
	 * The newest output line retained with a seq below the given one, staged lines included.
	 * @param beforeSeq the seq
	 * @return the line, or {@code null} if there is none
	 */
	Event.@Nullable OutputAppended outputBefore(long beforeSeq) {
		if (this.outputLines == 0) {
			return null;
		}
		Chunk chunk = null;
		for (long seq = Math.min(beforeSeq - 1, this.staged); seq >= this.outputFirst; seq--) {
			long offset = seq - this.base;
			if (chunk == null || chunk.number != offset >>> CHUNK_SHIFT) {
				chunk = held(offset >>> CHUNK_SHIFT);
			}
			if (chunk.outputCosts[(int) offset & CHUNK_MASK] > 0) {
				return (Event.OutputAppended) chunk.events[(int) offset & CHUNK_MASK];
			}
		}
		return null;
	}

	/** The seq of the first retained output line after the given seq, or {@code limit + 1} if none is. */
	private long nextOutput(long afterSeq, long limit) {
		Chunk chunk = null;
		for (long seq = afterSeq + 1; seq <= limit; seq++) {
			long offset = seq - this.base;
			if (chunk == null || chunk.number != offset >>> CHUNK_SHIFT) {
				chunk = held(offset >>> CHUNK_SHIFT);
			}
			if (chunk.outputCosts[(int) offset & CHUNK_MASK] > 0) {
				return seq;
			}
		}
		return limit + 1;
	}

	private Event.OutputAppended outputAt(long seq) {
		long offset = seq - this.base;
		return (Event.OutputAppended) held(offset >>> CHUNK_SHIFT).events[(int) offset & CHUNK_MASK];
	}

	/**
	 * Lets every retained output line go, as when the job's output spills to its log file, which then holds them:
	 * lines retained from before would otherwise hold every chunk after them in memory.
	 */
	void releaseOutput() {
		if (this.outputLines > 0) {
			this.outputLines = 0;
			this.outputBytes = 0;
			this.outputEvictedUpTo = this.staged;
			this.outputFirst = this.staged + 1;
		}
	}

	/**
	 * The seq of the newest output line that left the retained output (for its bounds, or released), or 0.
	 * @return the seq
	 */
	long outputEvictedUpTo() {
		return this.outputEvictedUpTo;
	}

	/**
	 * Whether output lines are retained in memory at all.
	 * @return {@code false} when either output bound is zero
	 */
	boolean retainsOutput() {
		return this.maxOutputLines > 0 && this.maxOutputBytes > 0;
	}

}
