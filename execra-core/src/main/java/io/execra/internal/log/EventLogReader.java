package io.execra.internal.log;

import java.util.concurrent.atomic.AtomicBoolean;

import io.execra.Event;
import io.execra.EventVisitor;
import org.jspecify.annotations.Nullable;

/**
 * A reader's position in an {@link EventLog}. It reads what the writer shares only when it must: the last and first
 * seqs once it has taken every event known to exist, the ring of chunks when it moves to the next chunk. So a reader
 * keeping up neither pulls the writer's cache lines away from it at every event nor checks each event it takes. Not
 * thread-safe: one per reading thread at a time, except {@link #close()}.
 * <p>
 * While the job's lines have other readers, a line it decodes is shared with them for a short while (see
 * {@link DecodedLines}); the log holds bytes either way, and a reader alone decodes its lines for itself.
 * <p>
 * A lossless reader tells its {@link LosslessReaders} where it is after each take, and lets the log go when closed.
 */
public final class EventLogReader {

	private final EventLog log;

	private long position;

	private long known;

	private long knownFirst;

	/** The log's base, copied: the writer changes fields beside it at every event. */
	private long base;

	private EventChunks.@Nullable Chunk chunk;

	private EventChunks.Chunk[] ring;

	/** Where lines are shared, if the job's lines had other readers when the last and first seqs were last read. */
	private @Nullable DecodedLines sharing;

	private final AtomicBoolean closed = new AtomicBoolean();

	/** Whether {@link #visit} got to the job's {@link Event.Finalized}, the log's last event. */
	private boolean tookFinalized;

	/** A lossless reader's hold on the log, or {@code null}. */
	private final LosslessReaders.@Nullable Pin pin;

	EventLogReader(EventLog log, long afterSeq, LosslessReaders.@Nullable Pin pin) {
		this.log = log;
		this.pin = pin;
		this.ring = log.chunks().ring();
		this.position = afterSeq;
		this.sharing = log.lineReaders().sharing();
	}

	/** Counts the reader out of the log's readers, once it takes no more events. Any thread; idempotent. */
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.log.lineReaders().closed();
			if (this.pin != null) {
				this.log.losslessReaders().release(this.pin);
			}
		}
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
		return take(into, 0);
	}

	/**
	 * The events published after the position, as far as this reader can tell without waiting: a bound on what
	 * {@link #take} takes now (fewer if some were evicted). Reads the last seq the writer published.
	 * @return how many
	 */
	public long ready() {
		return Math.max(0, this.log.lastSeq() - this.position);
	}

	/**
	 * Takes events like {@link #take(Object[])}, into an array from an index on.
	 * @param into where to put them
	 * @param from the index of the first
	 * @return how many were taken
	 */
	public int take(Object[] into, int from) {
		long wanted = this.position + 1;
		if (!knows(wanted)) {
			return 0;
		}
		long end = Math.min(this.known, wanted + (into.length - from) - 1);
		int count = from;
		taking: while (wanted <= end) {
			long offset = wanted - this.base;
			EventChunks.Chunk chunk = chunk(EventChunks.number(offset));
			if (chunk == null) {
				break;
			}
			int index = EventChunks.index(offset);
			int stop = (int) Math.min(EventChunks.SIZE, index + (end - wanted + 1));
			for (; index < stop; index++, wanted++) {
				Event event = EventChunks.event(chunk, index, wanted, this.sharing);
				if (event == null) {
					break taking;
				}
				into[count++] = event;
			}
		}
		this.position = wanted - 1;
		if (this.pin != null && count > from) {
			this.log.losslessReaders().moved(this.pin, this.position);
		}
		return count - from;
	}

	/**
	 * Hands the events after the position to a visitor, in order, as many as are published up to a number, output
	 * lines as a view: no event is built for a line held undecoded. Stops after the job's {@link Event.Finalized}.
	 * The position moves past each event before its visit, so one whose visit throws is not visited again.
	 * @param visitor the visitor
	 * @param view this reader's view of lines
	 * @param max the most events to visit
	 * @return how many were visited; 0 if none is published yet or the next was evicted (see {@link #missedNext()})
	 */
	public int visit(EventVisitor visitor, LineView view, int max) {
		long wanted = this.position + 1;
		if (!knows(wanted)) {
			return 0;
		}
		long end = Math.min(this.known, wanted + max - 1);
		int count = 0;
		try {
			visiting: while (wanted <= end) {
				long offset = wanted - this.base;
				EventChunks.Chunk chunk = chunk(EventChunks.number(offset));
				if (chunk == null) {
					break;
				}
				int index = EventChunks.index(offset);
				int stop = (int) Math.min(EventChunks.SIZE, index + (end - wanted + 1));
				for (; index < stop; index++, wanted++) {
					Object held = chunk.events[index];
					if (held == null) {
						break visiting;
					}
					this.position = wanted;
					count++;
					// marked before its visit, which may throw: the log holds nothing after it either way
					boolean last = held instanceof Event.Finalized;
					this.tookFinalized |= last;
					EventSlot.visit(held, chunk.lineRefs[index], wanted, view, visitor);
					if (last) {
						break visiting;
					}
				}
			}
		}
		finally {
			if (this.pin != null && count > 0) {
				this.log.losslessReaders().moved(this.pin, this.position);
			}
		}
		return count;
	}

	/**
	 * Whether {@link #visit} handed over the job's {@link Event.Finalized}: the log holds nothing after it.
	 * @return {@code true} once it did
	 */
	public boolean tookFinalized() {
		return this.tookFinalized;
	}

	/**
	 * Whether the event of a seq may be taken, as far as the last and first seqs last read tell; reads them anew
	 * once the reader has taken every event they told of.
	 */
	private boolean knows(long wanted) {
		if (wanted > this.known) {
			this.known = this.log.lastSeq();
			if (wanted > this.known) {
				return false;
			}
			this.knownFirst = this.log.firstSeq();
			this.base = this.log.base();
			this.sharing = this.log.lineReaders().sharing();
		}
		return wanted >= this.knownFirst;
	}

	/** The chunk of this number, if still held: the one last used, or found in the ring (taken anew if need be). */
	private EventChunks.@Nullable Chunk chunk(long number) {
		EventChunks.Chunk chunk = this.chunk;
		if (chunk == null || chunk.number != number) {
			chunk = EventChunks.find(this.ring, number);
			if (chunk == null) {
				// the ring may have grown since this reader took it
				this.ring = this.log.chunks().ring();
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
		long first = Math.max(this.log.firstSeq(), this.position + 2);
		this.position = first - 1;
		this.knownFirst = first;
		if (this.pin != null) {
			this.log.losslessReaders().moved(this.pin, this.position);
		}
		return first;
	}

}
