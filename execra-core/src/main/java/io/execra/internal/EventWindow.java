package io.execra.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import io.execra.Event;
import org.jspecify.annotations.Nullable;

/**
 * A job's replay window: the newest events with contiguous seqs, bounded by count and by approximate bytes (the
 * oldest are evicted until both bounds hold).
 * <p>
 * One writer (under the job's lock) adds events; readers take them by seq without any lock. An event lives in the
 * slot {@code seq & mask} of a power-of-two ring, so a reader finds it directly and recognises a slot that was
 * evicted or reused by the seq of what it holds. The writer publishes the last seq with release semantics after
 * filling its slot, and moves {@link #firstSeq()} past an evicted seq before clearing or reusing the slot (a
 * store-store fence between), so a reader that does not find its seq in the slot finds the first seq moved on;
 * should it see an older value, it still resumes past the seq it missed. A grown ring is published before any seq
 * stored in it, and an old ring is never written again.
 * <p>
 * The writer may stage a batch of events and store them with one bulk copy (see {@link RefBatch}). Readers that
 * have caught up wait in {@link #awaitAfter}; the writer wakes them with {@link #signal()} once per batch of
 * events, which costs a fence and a read when nobody waits.
 */
final class EventWindow {

	/** Slots are {@code Object[]}: a handle on {@code Event[]} would check the type of every store at run time. */
	private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

	private static final VarHandle FIRST_SEQ;

	private static final VarHandle LAST_SEQ;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			FIRST_SEQ = lookup.findVarHandle(EventWindow.class, "firstSeq", long.class);
			LAST_SEQ = lookup.findVarHandle(EventWindow.class, "lastSeq", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** The largest ring; a larger event bound is held to it. */
	private static final int MAX_CAPACITY = 1 << 30;

	private final int maxEvents;

	private final long maxBytes;

	private final int capacity;

	/** The ring, indexed by {@code seq & (length - 1)}; replaced (never shrunk) when it grows. */
	private volatile Object[] ring;

	/** The cost of each slot's event. Writer only. */
	private int[] costs;

	/** Accessed through {@link #FIRST_SEQ}: release by the writer, acquire by readers. */
	@SuppressWarnings("unused")
	private long firstSeq = 1;

	/** Accessed through {@link #LAST_SEQ}: release by the writer, acquire by readers. */
	@SuppressWarnings("unused")
	private long lastSeq;

	/** The writer's own copies of the bounds above, read without fences. */
	private long first = 1;

	private long last;

	private long bytes;

	/** Events staged for the next bulk store. Writer only. */
	private final RefBatch staged = new RefBatch();

	private final AtomicInteger waiters = new AtomicInteger();

	private final ReentrantLock waiting = new ReentrantLock();

	private final Condition published = this.waiting.newCondition();

	EventWindow(int maxEvents, long maxBytes) {
		this.maxEvents = Math.min(maxEvents, MAX_CAPACITY);
		this.maxBytes = maxBytes;
		this.capacity = (this.maxEvents <= 16) ? 16 : Integer.highestOneBit(this.maxEvents - 1) << 1;
		this.ring = new Object[16];
		this.costs = new int[16];
	}

	/**
	 * Appends the event with the next seq (one more than the last; any seq for the first event), evicting the
	 * oldest as needed, and makes it visible to readers, after any staged ones. Writer only.
	 * @param event the event
	 */
	void add(Event event) {
		publishStaged();
		long seq = event.seq();
		long size = this.last - this.first + 1;
		if (this.last == 0) {
			setFirst(seq);
			size = 0;
		}
		else if (size == this.maxEvents) {
			evictOldest();
			size--;
		}
		Object[] slots = this.ring;
		if (size == slots.length) {
			slots = grow(slots, (int) size + 1);
		}
		int index = (int) seq & (slots.length - 1);
		int cost = cost(event);
		this.costs[index] = cost;
		this.bytes += cost;
		SLOT.setRelease(slots, index, event);
		this.last = seq;
		LAST_SEQ.setRelease(this, seq);
		while (this.first < seq && this.bytes > this.maxBytes) {
			evictOldest();
		}
	}

	/**
	 * Appends the event with the next seq like {@link #add}, but only stages it: it is stored, and visible to
	 * readers, at the next {@link #publishStaged()} (or {@link #add}), with those staged before it in one bulk copy.
	 * Writer only.
	 * @param event the event
	 */
	void stage(Event event) {
		if (this.staged.add(event)) {
			publishStaged();
		}
	}

	/**
	 * Stores the staged events and makes them visible to readers, leaving the window as adding them one by one
	 * would: evicting from the front until both bounds hold gives the same longest suffix either way. Writer only.
	 */
	void publishStaged() {
		RefBatch batch = this.staged;
		int count = batch.size();
		if (count == 0) {
			return;
		}
		long firstNew = ((Event) batch.get(0)).seq();
		long lastNew = firstNew + count - 1;
		// staged events beyond the count bound would be evicted by the later ones at once: never stored
		int skip = Math.max(0, count - this.maxEvents);
		int kept = count - skip;
		long size = (this.last == 0) ? 0 : this.last - this.first + 1;
		if (size + kept > this.maxEvents) {
			long evicted = Math.min(size, size + kept - this.maxEvents);
			evictBefore(this.first + evicted);
			size -= evicted;
		}
		if (size == 0) {
			setFirst(firstNew + skip);
		}
		Object[] slots = this.ring;
		if (size + kept > slots.length) {
			slots = grow(slots, (int) size + kept);
		}
		int mask = slots.length - 1;
		for (int i = skip; i < count; i++) {
			int cost = cost((Event) batch.get(i));
			this.costs[(int) (firstNew + i) & mask] = cost;
			this.bytes += cost;
		}
		// the evictions above are seen before the slots they freed are reused
		VarHandle.releaseFence();
		batch.copyTo(skip, kept, slots, (int) (firstNew + skip) & mask);
		batch.clear();
		this.last = lastNew;
		LAST_SEQ.setRelease(this, lastNew);
		if (this.bytes > this.maxBytes) {
			long newFirst = this.first;
			long bytesLeft = this.bytes;
			while (newFirst < lastNew && bytesLeft > this.maxBytes) {
				bytesLeft -= this.costs[(int) newFirst & mask];
				newFirst++;
			}
			evictBefore(newFirst);
		}
	}

	private Object[] grow(Object[] slots, int needed) {
		int length = slots.length * 2;
		while (length < needed) {
			length *= 2;
		}
		length = Math.min(this.capacity, length);
		Object[] bigger = new Object[length];
		int[] biggerCosts = new int[length];
		for (long seq = this.first; seq <= this.last; seq++) {
			int from = (int) seq & (slots.length - 1);
			int to = (int) seq & (length - 1);
			bigger[to] = slots[from];
			biggerCosts[to] = this.costs[from];
		}
		this.costs = biggerCosts;
		this.ring = bigger;
		return bigger;
	}

	private void evictOldest() {
		evictBefore(this.first + 1);
	}

	/**
	 * Evicts the oldest events up to, not including, the given seq: the first seq moves past them before their
	 * slots are cleared.
	 */
	private void evictBefore(long seq) {
		Object[] slots = this.ring;
		int mask = slots.length - 1;
		long from = this.first;
		for (long evicted = from; evicted < seq; evicted++) {
			this.bytes -= this.costs[(int) evicted & mask];
		}
		setFirst(seq);
		VarHandle.storeStoreFence();
		int start = (int) from & mask;
		int count = (int) (seq - from);
		int head = Math.min(count, slots.length - start);
		Arrays.fill(slots, start, start + head, null);
		Arrays.fill(slots, 0, count - head, null);
	}

	private void setFirst(long seq) {
		this.first = seq;
		FIRST_SEQ.setRelease(this, seq);
	}

	/**
	 * Wakes the readers waiting in {@link #awaitAfter}, after a batch of {@link #add}s. Writer only.
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
	 * Waits until an event after the given seq is added, the time is up, or {@code stop} says so; wakes up at
	 * {@link #signal()} and {@link #wakeAll()}.
	 * @param seq the last seq the reader has
	 * @param nanos the longest wait
	 * @param stop checked before each wait
	 * @return the time left
	 * @throws InterruptedException if interrupted while waiting
	 */
	long awaitAfter(long seq, long nanos, BooleanSupplier stop) throws InterruptedException {
		// registered before the seq is checked, so that a writer adding after the check sees the waiter
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

	/**
	 * The first seq still retained, or the next seq to come when the window is empty. Any thread.
	 * @return the seq
	 */
	long firstSeq() {
		return (long) FIRST_SEQ.getAcquire(this);
	}

	/**
	 * The seq of the newest event added, 0 before the first. Any thread.
	 * @return the seq
	 */
	long lastSeq() {
		return (long) LAST_SEQ.getAcquire(this);
	}

	/**
	 * The event with this seq, if retained. Any thread, without a lock: an event evicted while this looks for it may
	 * or may not be returned.
	 * @param seq the seq
	 * @return the event, or {@code null} if the seq is not retained (evicted, or not added yet)
	 */
	@Nullable Event get(long seq) {
		return (seq <= lastSeq()) ? slot(this.ring, seq) : null;
	}

	private static @Nullable Event slot(Object[] slots, long seq) {
		Event event = (Event) SLOT.getAcquire(slots, (int) seq & (slots.length - 1));
		return (event != null && event.seq() == seq) ? event : null;
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
	 * A reader's position in the window. It reads what the writer shares only when it must: the last seq once it
	 * has taken every event known to exist, the ring once the one it holds no longer has the event it wants. So a
	 * reader keeping up does not pull the writer's cache lines away from it at every event. Not thread-safe: one
	 * per reading thread at a time.
	 */
	final class Reader {

		private long position;

		private long known;

		private Object[] slots = EventWindow.this.ring;

		private Reader(long afterSeq) {
			this.position = afterSeq;
		}

		/** @return the seq of the last event taken */
		long position() {
			return this.position;
		}

		/**
		 * Takes the event after the position.
		 * @return the event, or {@code null} if it is not added yet or was evicted (see {@link #missedNext()})
		 */
		@Nullable Event next() {
			long wanted = this.position + 1;
			if (wanted > this.known) {
				this.known = lastSeq();
				if (wanted > this.known) {
					return null;
				}
			}
			Event event = slot(this.slots, wanted);
			if (event == null) {
				// the ring may have grown since this reader took it
				this.slots = EventWindow.this.ring;
				event = slot(this.slots, wanted);
				if (event == null) {
					return null;
				}
			}
			this.position = wanted;
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
		 * Moves the position to just before the first retained event.
		 * @return the seq of that event
		 */
		long skipToFirst() {
			// past the missed event even if the move of the first seq is not seen yet
			long first = Math.max(firstSeq(), this.position + 2);
			this.position = first - 1;
			return first;
		}

	}

	static int cost(Event event) {
		if (event instanceof Event.OutputAppended output) {
			return 64 + output.line().length() * 2;
		}
		return 128;
	}

}
