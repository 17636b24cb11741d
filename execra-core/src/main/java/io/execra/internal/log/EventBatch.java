package io.execra.internal.log;

import java.util.Arrays;
import java.util.NoSuchElementException;

import io.execra.Event;
import io.execra.JobId;

/**
 * Events in order, some of them output lines left undecoded ({@link LineRun}, {@link LineRef}), each with its
 * replay cost ({@link EventCosts}): a job's events collected for all-jobs subscribers while it handles a read, and
 * the queue of such a subscriber. A first-in first-out ring of parallel arrays, so that adding a line left
 * undecoded allocates nothing; a line is decoded only when {@linkplain #removeFirst() taken out} (or shared decoded
 * by another reader of its job). Not thread-safe:
 * guarded by its owner's lock.
 */
public final class EventBatch {

	/** Room kept when the batch is cleared: a batch that grew past it in a burst lets the rest go. */
	private static final int KEPT_CAPACITY = 1024;

	private Object[] held;

	private long[] refs;

	private long[] seqs;

	private int[] costs;

	/** The index of the first entry in the arrays. */
	private int head;

	private int size;

	/** The sum of the entries' costs. */
	private long cost;

	/** An empty batch. */
	public EventBatch() {
		this(16);
	}

	private EventBatch(int capacity) {
		allocate(capacity);
	}

	private void allocate(int capacity) {
		this.held = new Object[capacity];
		this.refs = new long[capacity];
		this.seqs = new long[capacity];
		this.costs = new int[capacity];
	}

	/**
	 * Adds an event at the end.
	 * @param event the event
	 */
	public void add(Event event) {
		put(event, 0, event.seq(), EventCosts.replay(event));
	}

	/**
	 * Adds consecutive output lines of one read, left undecoded, at the end.
	 * @param run the lines of their read
	 * @param lineRefs the lines' references into it
	 * @param from the index of the first line's reference
	 * @param to the index after the last line's
	 * @param firstSeq the first line's seq; the others follow it
	 */
	public void addLines(LineRun run, long[] lineRefs, int from, int to, long firstSeq) {
		for (int i = from; i < to; i++) {
			long ref = lineRefs[i];
			put(run, ref, firstSeq + i - from, EventCosts.replayLineRef(ref));
		}
	}

	/**
	 * Adds an entry of another batch at the end, as it is there (a line stays undecoded).
	 * @param other the other batch
	 * @param index the entry's index in it
	 */
	public void add(EventBatch other, int index) {
		int at = other.slot(index);
		put(other.held[at], other.refs[at], other.seqs[at], other.costs[at]);
	}

	private void put(Object event, long ref, long seq, int cost) {
		if (this.size == this.held.length) {
			grow();
		}
		int at = slot(this.size);
		this.held[at] = event;
		this.refs[at] = ref;
		this.seqs[at] = seq;
		this.costs[at] = cost;
		this.size++;
		this.cost += cost;
	}

	private void grow() {
		int capacity = this.held.length * 2;
		Object[] held = new Object[capacity];
		long[] refs = new long[capacity];
		long[] seqs = new long[capacity];
		int[] costs = new int[capacity];
		for (int i = 0; i < this.size; i++) {
			int at = slot(i);
			held[i] = this.held[at];
			refs[i] = this.refs[at];
			seqs[i] = this.seqs[at];
			costs[i] = this.costs[at];
		}
		this.held = held;
		this.refs = refs;
		this.seqs = seqs;
		this.costs = costs;
		this.head = 0;
	}

	/** The array index of the entry at this position (the capacity is a power of two). */
	private int slot(int index) {
		return (this.head + index) & (this.held.length - 1);
	}

	/** @return how many entries the batch holds */
	public int size() {
		return this.size;
	}

	/**
	 * The entries the batch has room for, for tests of the memory it keeps.
	 * @return how many
	 */
	int capacity() {
		return this.held.length;
	}

	/** @return whether the batch holds no entry */
	public boolean isEmpty() {
		return this.size == 0;
	}

	/** @return the sum of the entries' replay costs */
	public long cost() {
		return this.cost;
	}

	/**
	 * @param index an entry's position, from 0 for the first
	 * @return the job of its event
	 */
	public JobId jobId(int index) {
		return EventSlot.jobId(this.held[slot(index)]);
	}

	/**
	 * Whether an entry is an output line, told without decoding it.
	 * @param index an entry's position, from 0 for the first
	 * @return {@code true} for an output line, decoded or not
	 */
	public boolean isOutput(int index) {
		return EventSlot.isOutput(this.held[slot(index)]);
	}

	/**
	 * @param index an entry's position, from 0 for the first
	 * @return the seq of its event
	 */
	public long seq(int index) {
		return this.seqs[slot(index)];
	}

	/**
	 * @param index an entry's position, from 0 for the first
	 * @return the replay cost of its event
	 */
	public int cost(int index) {
		return this.costs[slot(index)];
	}

	/**
	 * Removes the first entry, to be decoded by whoever takes it, outside the lock guarding this batch.
	 * @return the entry
	 * @throws NoSuchElementException if the batch is empty
	 */
	public Taken removeFirst() {
		if (this.size == 0) {
			throw new NoSuchElementException();
		}
		int at = this.head;
		Taken taken = new Taken(this.held[at], this.refs[at], this.seqs[at]);
		this.held[at] = null;
		this.cost -= this.costs[at];
		this.head = slot(1);
		this.size--;
		return taken;
	}

	/**
	 * Removes every entry. A finished job keeps its batch, so a batch grown large in a burst does not keep all its
	 * room.
	 */
	public void clear() {
		if (this.held.length > KEPT_CAPACITY) {
			allocate(KEPT_CAPACITY);
		}
		else if (this.head + this.size <= this.held.length) {
			Arrays.fill(this.held, this.head, this.head + this.size, null);
		}
		else {
			Arrays.fill(this.held, null);
		}
		this.head = 0;
		this.size = 0;
		this.cost = 0;
	}

	/**
	 * An entry taken out of a batch: an event, or an output line decoded into its event when asked. Immutable.
	 */
	public static final class Taken {

		private final Object held;

		private final long ref;

		private final long seq;

		private Taken(Object held, long ref, long seq) {
			this.held = held;
			this.ref = ref;
			this.seq = seq;
		}

		/**
		 * An event taken as it is, such as a signal made by a batch's reader.
		 * @param event the event
		 * @return the entry
		 */
		public static Taken of(Event event) {
			return new Taken(event, 0, event.seq());
		}

		/**
		 * The event, decoded if it is a line left undecoded, unless another reader of the job shares it decoded
		 * (see {@link DecodedLines}).
		 * @return the event
		 */
		public Event event() {
			return EventSlot.shared(this.held, this.ref, this.seq);
		}

	}

}
