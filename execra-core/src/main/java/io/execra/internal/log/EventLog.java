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
 * and bytes the same way, read under the job's lock by the job's output.</li>
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
 * <p>
 * A lossless reader ({@link #reader(long, long)}) pins the events after its position: the replay window keeps them
 * past its bounds, and the job's pumps ask {@link #heldByLosslessReaders()} before each read, waiting while it holds
 * the window over its bounds (see {@link LosslessReaders}).
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

	private final LosslessReaders lossless = new LosslessReaders();

	private final LineReaders lineReaders;

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

	/** A log whose readers share the lines they decode among themselves only: see the next constructor. */
	public EventLog(int maxEvents, long maxBytes, int maxOutputLines, long maxOutputBytes) {
		this(maxEvents, maxBytes, maxOutputLines, maxOutputBytes, DecodedLines.ofOneLog());
	}

	/**
	 * A log with its two windows' bounds.
	 * @param maxEvents events the replay window keeps at most
	 * @param maxBytes cost of the events the replay window keeps at most (see {@link EventCosts#replay})
	 * @param maxOutputLines output lines retained at most
	 * @param maxOutputBytes cost of the output lines retained at most (see {@link EventCosts#retainedLine})
	 * @param decoded where its readers share the lines they decode with the runtime's other readers of them
	 */
	public EventLog(int maxEvents, long maxBytes, int maxOutputLines, long maxOutputBytes, DecodedLines decoded) {
		this.lineReaders = new LineReaders(decoded);
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
		stage(event, EventCosts.replay(event), 0);
		publishStaged();
	}

	/**
	 * Appends an event like {@link #add}, but only stages it: readers see it, and the windows' bounds apply, at
	 * the next {@link #publishStaged()} (or {@link #add}).
	 * @param event the event, kept in the replay window only
	 */
	public void stage(Event event) {
		stage(event, EventCosts.replay(event), 0);
	}

	/**
	 * Stages an output line like {@link #stage(Event)}, as retained output too if asked. Small enough for the JIT to
	 * inline into the decoding loop.
	 * @param line the line
	 * @param retained whether it is kept in memory as output too
	 */
	public void stageLine(Event.OutputAppended line, boolean retained) {
		int chars = line.line().length();
		stage(line, EventCosts.replayLine(chars), retained ? EventCosts.retainedLine(chars) : 0);
	}

	private void stage(Event event, int cost, int outputCost) {
		long seq = event.seq();
		EventChunks.Chunk chunk = chunkFor(seq);
		chunk.event(EventChunks.index(seq - this.base), event, cost, outputCost);
		staged(seq, cost, outputCost);
	}

	/**
	 * Stages consecutive output lines of one read undecoded, each as a reference into the bytes of its read: readers
	 * decode it when they take it. Their costs follow from their lengths ({@link EventCosts}). Staged chunk by
	 * chunk, otherwise like {@link #stageLine}, until one makes a publish due: the writer then publishes before it
	 * stages the rest.
	 * @param seq the first line's seq
	 * @param run the lines of their read
	 * @param refs their references into them (see {@link LineRef})
	 * @param from the index of the first line's reference
	 * @param to the index after the last line's
	 * @param retained whether they are kept in memory as output too
	 * @return how many were staged, at least one
	 */
	public int stage(long seq, LineRun run, long[] refs, int from, int to, boolean retained) {
		int i = from;
		long next = seq;
		while (i < to) {
			EventChunks.Chunk chunk = chunkFor(next);
			int index = EventChunks.index(next - this.base);
			int end = Math.min(to, i + EventChunks.SIZE - index);
			for (; i < end; i++, index++, next++) {
				long ref = refs[i];
				int cost = EventCosts.replayLineRef(ref);
				int outputCost = retained ? EventCosts.retainedLine(LineRef.length(ref)) : 0;
				chunk.line(index, run, ref, cost, outputCost);
				staged(next, cost, outputCost);
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
	 * Applies the replay window's bounds again, as far as lossless readers let it: the pumps ask before each read,
	 * and wait while the readers hold it over its bounds for the slowest to reach the seq returned, halfway to the
	 * last event (so a pump held back reads once per half window). Writer only, between batches.
	 * @return the seq to wait for, or 0 if the window is within its bounds and the pumps may read
	 */
	public long heldByLosslessReaders() {
		if (!this.started || this.staged != this.last || !this.lossless.any()) {
			return 0;
		}
		evictReplay();
		this.publishedBytes = this.bytes;
		this.chunks.dropBefore(Math.min(this.first, this.output.reach(this.last)) - this.base);
		boolean overBounds = this.last - this.first + 1 > Math.max(1, this.maxEvents)
				|| (this.bytes > this.maxBytes && this.first < this.last);
		long lowest = this.lossless.lowest();
		return (overBounds && lowest < this.last) ? lowest + (this.last - lowest + 1) / 2 : 0;
	}

	/** @return the lossless readers of this log, which the job's pumps wait for */
	public LosslessReaders losslessReaders() {
		return this.lossless;
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
		// the first event a lossless reader still needs stays, and every one after it
		long lowest = this.lossless.lowest();
		long limit = (lowest == Long.MAX_VALUE) ? Long.MAX_VALUE : lowest + 1;
		// the count bound: the events before the newest maxEvents leave at once
		long byCount = Math.min(this.last - Math.max(1, this.maxEvents) + 1, limit);
		if (byCount > newFirst) {
			cost -= costs(newFirst, byCount);
			newFirst = byCount;
		}
		// the byte bound: the oldest leave one by one, the last always stays
		EventChunks.Chunk chunk = null;
		while (cost > this.maxBytes && newFirst < this.last && newFirst < limit) {
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

	/** The replay costs of the events from one seq to another (excluded), a whole chunk by its sum. */
	private long costs(long from, long to) {
		long sum = 0;
		long seq = from;
		while (seq < to) {
			long offset = seq - this.base;
			EventChunks.Chunk chunk = this.chunks.held(EventChunks.number(offset));
			int start = EventChunks.index(offset);
			int end = (int) Math.min(EventChunks.SIZE, start + (to - seq));
			if (start == 0 && end == EventChunks.SIZE) {
				sum += chunk.costSum();
			}
			else {
				for (int i = start; i < end; i++) {
					sum += chunk.cost(i);
				}
			}
			seq += end - start;
		}
		return sum;
	}

	/** @return how many chunks are held in memory, for tests of the bounds. Writer only. */
	int chunksHeld() {
		return this.chunks.count();
	}

	/** Wakes the readers waiting in {@link #awaitAfter}, after a batch of events. Writer only. */
	public void signal() {
		this.waiters.signal();
	}

	/** Wakes every waiting reader, so that each checks whether it should stop waiting. */
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
		return (chunk != null) ? EventSlot.unlessOutput(chunk.events[EventChunks.index(seq - this.base)]) : null;
	}

	/** The chunk of a seq in the replay window, or {@code null} if the seq is not in it. Any thread. */
	private EventChunks.@Nullable Chunk chunkInWindow(long seq) {
		if (seq > lastSeq() || seq < firstSeq()) {
			return null;
		}
		return EventChunks.find(this.chunks.ring(), EventChunks.number(seq - this.base));
	}

	/**
	 * A reader positioned after the given seq, open until {@linkplain EventLogReader#close() closed}.
	 * @param afterSeq the last seq the reader has
	 * @return the reader
	 */
	public EventLogReader reader(long afterSeq) {
		this.lineReaders.opened();
		return new EventLogReader(this, afterSeq, null);
	}

	/**
	 * A lossless reader positioned after the given seq: it pins the events after its position until closed or
	 * released (see {@link LosslessReaders}).
	 * @param afterSeq the last seq the reader has
	 * @param stallNanos how long it may take nothing while a pump waits for it
	 * @return the reader
	 */
	public EventLogReader reader(long afterSeq, long stallNanos) {
		this.lineReaders.opened();
		return new EventLogReader(this, afterSeq, this.lossless.add(afterSeq, stallNanos));
	}

	/** @return the readers of this log, counted to share the lines they decode. Any thread. */
	LineReaders lineReaders() {
		return this.lineReaders;
	}

	/**
	 * The seq where chunk 0 starts, for readers: set before the first event is published. Any thread.
	 * @return the seq
	 */
	long base() {
		return this.base;
	}

	/**
	 * The chunks, for readers. Any thread.
	 * @return the chunks
	 */
	EventChunks chunks() {
		return this.chunks;
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
