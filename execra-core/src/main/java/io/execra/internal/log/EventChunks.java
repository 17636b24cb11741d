package io.execra.internal.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.execra.Event;
import org.jspecify.annotations.Nullable;

/**
 * Where a job's {@link EventLog} keeps its events: chunks of {@value #SIZE} consecutive seqs, in a ring indexed by
 * chunk number. A chunk is filled once, event by event, and never reused: it is dropped whole once no window of the
 * log reaches into it, so an event a reader finds in the chunk of its number is the one with its seq. A grown ring
 * is published before any chunk stored in it, and an old ring is never written again. The writer (under the job's
 * lock) fills and drops chunks; readers find them without a lock.
 */
final class EventChunks {

	/** Consecutive seqs per chunk. */
	static final int SIZE = 256;

	private static final int SHIFT = Integer.numberOfTrailingZeros(SIZE);

	private static final int MASK = SIZE - 1;

	private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Chunk[].class);

	/**
	 * Consecutive seqs from {@code base + number * SIZE}. Its events are written once each, before their seq is
	 * published; the costs are the writer's. The costs of a line kept undecoded follow from its length, so a chunk
	 * of such lines holds nothing else for them: only an event of another kind makes it store costs.
	 */
	static final class Chunk {

		final long number;

		/**
		 * Each event as an {@link EventSlot} holds it. {@code Object[]}: an {@code Event[]} would check the type of
		 * every store at run time.
		 */
		final Object[] events = new Object[SIZE];

		/**
		 * For an output line stored undecoded, its reference, {@linkplain LineRef#retained marked} if it is
		 * retained output; written before its seq is published, like the slot.
		 */
		final long[] lineRefs = new long[SIZE];

		/**
		 * For the other events, each one's cost in the replay window; made at the first of them. Writer only.
		 */
		private int @Nullable [] costs;

		/**
		 * For the other events, each one's cost as retained output, 0 for an event that is not a line kept in
		 * memory; made with {@link #costs}. Writer only.
		 */
		private int @Nullable [] outputCosts;

		/** The replay costs of the events stored so far, added up. Writer only. */
		private long costSum;

		/** The output lines stored so far marked as retained output, and their retained costs. Writer only. */
		private int retainedLines;

		private long retainedCostSum;

		Chunk(long number) {
			this.number = number;
		}

		/** Adds an event's costs to the chunk's sums. */
		private void counted(int cost, int outputCost) {
			this.costSum += cost;
			if (outputCost > 0) {
				this.retainedLines++;
				this.retainedCostSum += outputCost;
			}
		}

		/**
		 * The replay costs of every event stored, added up: {@link #cost} of each slot. Writer only.
		 * @return the sum
		 */
		long costSum() {
			return this.costSum;
		}

		/**
		 * How many slots hold an output line retained ({@link #outputCost} above 0). Writer only.
		 * @return how many
		 */
		int retainedLines() {
			return this.retainedLines;
		}

		/**
		 * The {@link #outputCost} of every slot, added up. Writer only.
		 * @return the sum
		 */
		long retainedCostSum() {
			return this.retainedCostSum;
		}

		/**
		 * The slot of the last output line retained, looked for from the last slot: only for a full chunk whose
		 * {@link #retainedLines()} is above 0. Writer only.
		 * @return the slot
		 */
		int lastRetained() {
			int index = SIZE - 1;
			while (outputCost(index) == 0) {
				index--;
			}
			return index;
		}

		/**
		 * Stores an event that is not a line kept undecoded, with its costs. Writer only.
		 * @param index its slot
		 * @param event the event
		 * @param cost its cost in the replay window
		 * @param outputCost its cost as retained output, or 0
		 */
		void event(int index, Event event, int cost, int outputCost) {
			this.events[index] = event;
			int[] costs = this.costs;
			int[] outputCosts = this.outputCosts;
			if (costs == null || outputCosts == null) {
				costs = new int[SIZE];
				outputCosts = new int[SIZE];
				this.costs = costs;
				this.outputCosts = outputCosts;
			}
			costs[index] = cost;
			outputCosts[index] = outputCost;
			counted(cost, outputCost);
		}

		/**
		 * Stores an output line kept undecoded, whose costs follow from its reference. Writer only.
		 * @param index its slot
		 * @param run the lines of its read
		 * @param ref its reference
		 * @param cost its cost in the replay window, {@link EventCosts#replayLineRef} of the reference
		 * @param outputCost its cost as retained output ({@link EventCosts#retainedLine} of its length), or 0 if it
		 * is not retained output
		 */
		void line(int index, LineRun run, long ref, int cost, int outputCost) {
			this.events[index] = run;
			this.lineRefs[index] = (outputCost > 0) ? LineRef.retained(ref) : ref;
			counted(cost, outputCost);
		}

		/**
		 * Whether a slot was stored by {@link #event}, with its costs (every event costs more than 0); otherwise it
		 * is empty or a line stored undecoded, whose costs follow from its reference. Writer only.
		 */
		private boolean storedWithCosts(int index) {
			int[] costs = this.costs;
			return costs != null && costs[index] != 0;
		}

		/**
		 * The cost in the replay window of the event in a slot: 0 if it is empty. Writer only.
		 * @param index the slot
		 * @return the cost
		 */
		int cost(int index) {
			int[] costs = this.costs;
			if (costs != null && costs[index] != 0) {
				return costs[index];
			}
			return (this.events[index] != null) ? EventCosts.replayLineRef(this.lineRefs[index]) : 0;
		}

		/**
		 * The cost as retained output of the event in a slot: 0 unless it is an output line retained. Writer only.
		 * @param index the slot
		 * @return the cost
		 */
		int outputCost(int index) {
			int[] outputCosts = this.outputCosts;
			return (storedWithCosts(index) && outputCosts != null) ? outputCosts[index]
					: EventCosts.retainedLineRef(this.lineRefs[index]);
		}

	}

	/**
	 * The event in a slot of a chunk, decoded if it is an output line stored undecoded.
	 * @param chunk the chunk
	 * @param index the slot
	 * @param seq the event's seq
	 * @return the event, or {@code null} if the slot is not written yet
	 */
	static @Nullable Event event(Chunk chunk, int index, long seq) {
		return event(chunk, index, seq, null);
	}

	/**
	 * The event in a slot of a chunk, decoded if it is an output line stored undecoded, or taken decoded from the
	 * lines another reader shares. The slot itself is never written again: the log keeps holding bytes.
	 * @param chunk the chunk
	 * @param index the slot
	 * @param seq the event's seq
	 * @param sharing where the job's readers share their lines while it has several, or {@code null}
	 * @return the event, or {@code null} if the slot is not written yet
	 */
	static @Nullable Event event(Chunk chunk, int index, long seq, @Nullable DecodedLines sharing) {
		return EventSlot.event(chunk.events[index], chunk.lineRefs[index], seq, sharing);
	}

	/** Ring of the chunks held, indexed by {@code number & (length - 1)}; replaced, never shrunk, when it grows. */
	private volatile @Nullable Chunk[] ring = new Chunk[4];

	/** The chunk being filled. Writer only. */
	private @Nullable Chunk current;

	/** The oldest chunk held. Writer only. */
	private long oldest;

	/**
	 * The chunk number of an offset from the log's first seq.
	 * @param offset the seq minus the first seq
	 * @return the number
	 */
	static long number(long offset) {
		return offset >>> SHIFT;
	}

	/**
	 * The slot of an offset from the log's first seq in its chunk.
	 * @param offset the seq minus the first seq
	 * @return the index
	 */
	static int index(long offset) {
		return (int) offset & MASK;
	}

	/**
	 * The chunk an event at this offset is written to, started if it is the next. Writer only.
	 * @param offset the seq minus the first seq
	 * @return the chunk
	 */
	Chunk forWriting(long offset) {
		Chunk chunk = this.current;
		long number = offset >>> SHIFT;
		return (chunk != null && chunk.number == number) ? chunk : start(number);
	}

	private Chunk start(long number) {
		Chunk chunk = new Chunk(number);
		Chunk[] slots = this.ring;
		if (number - this.oldest >= slots.length) {
			slots = grow(slots, number - this.oldest + 1);
		}
		SLOTS.setRelease(slots, (int) number & (slots.length - 1), chunk);
		this.current = chunk;
		return chunk;
	}

	private Chunk[] grow(Chunk[] slots, long needed) {
		int length = slots.length * 2;
		while (length < needed) {
			length *= 2;
		}
		Chunk[] bigger = new Chunk[length];
		Chunk last = this.current;
		if (last != null) {
			for (long number = this.oldest; number <= last.number; number++) {
				bigger[(int) number & (length - 1)] = slots[(int) number & (slots.length - 1)];
			}
		}
		this.ring = bigger;
		return bigger;
	}

	/**
	 * A chunk the writer holds. Writer only.
	 * @param number its number
	 * @return the chunk
	 * @throws IllegalStateException if it was dropped
	 */
	Chunk held(long number) {
		Chunk chunk = find(this.ring, number);
		if (chunk == null) {
			throw new IllegalStateException("chunk " + number + " is not held (oldest " + this.oldest + ")");
		}
		return chunk;
	}

	/**
	 * Drops the chunks wholly before the one of the given offset. Writer only.
	 * @param offset the offset of the oldest seq still needed
	 */
	void dropBefore(long offset) {
		long keep = offset >>> SHIFT;
		Chunk[] slots = this.ring;
		while (this.oldest < keep) {
			SLOTS.setRelease(slots, (int) this.oldest & (slots.length - 1), null);
			this.oldest++;
		}
	}

	/**
	 * The chunks held, for tests of the bounds. Writer only.
	 * @return how many
	 */
	int count() {
		return (this.current == null) ? 0 : (int) (this.current.number - this.oldest + 1);
	}

	/**
	 * The ring as it is now. Any thread.
	 * @return the ring
	 */
	Chunk[] ring() {
		return this.ring;
	}

	/**
	 * A chunk in a ring, without a lock. Any thread.
	 * @param ring the ring, from {@link #ring()}
	 * @param number the chunk's number
	 * @return the chunk, or {@code null} if that ring does not hold it (dropped, or not yet in that ring)
	 */
	static @Nullable Chunk find(Chunk[] ring, long number) {
		Chunk chunk = (Chunk) SLOTS.getAcquire(ring, (int) number & (ring.length - 1));
		return (chunk != null && chunk.number == number) ? chunk : null;
	}

}
