package io.execra.internal.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.IntSupplier;

import io.execra.Event;

/**
 * The output lines readers decoded last, shared with the other readers of the same lines: while a job has several
 * readers (job streams, lossless ones included, and all-jobs subscriptions that want lines), the first to take a
 * line left undecoded decodes it and puts its event here, and the others take that instance instead of decoding
 * their own. One per runtime: a ring of {@value #SIZE} slots, a line's slot following from its seq and its job, so
 * that a job's consecutive lines take consecutive slots and a newer line (or another job's) overwrites an older one.
 * Readers of a line close together share it; a reader more than the ring behind decodes its own copy, and leaves
 * the newer lines it finds in their slots for when it gets to them.
 * <p>
 * What is kept is bounded and short-lived: at most {@value #SIZE} events of lines of at most {@value #MAX_LENGTH}
 * bytes (a longer line is decoded by each reader), overwritten as lines flow; the event log and subscription queues
 * go on holding bytes. A job read by one reader only never touches the ring.
 * <p>
 * Thread-safe without a lock. An event is immutable, its fields final, so a reader that loads it from a slot sees
 * it whole (JLS 17.5; the release store and acquire load order its construction before it besides), and a reader
 * takes it only if its seq and job are the line's. Two readers that miss the same line at the same moment each
 * decode it and store their own equal event, the later overwriting the other: then that line is decoded twice,
 * which only costs the sharing, never content.
 */
public final class DecodedLines {

	/** Slots of the ring of a runtime. */
	static final int SIZE = 4096;

	/** Slots of the ring of a log outside a runtime (tests, tools). */
	private static final int SIZE_OF_ONE_LOG = 256;

	/** Longest line shared, in bytes: the ring stays small whatever the tool writes. */
	static final int MAX_LENGTH = 512;

	private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);

	private final Object[] slots;

	private final int mask;

	private final IntSupplier subscriptions;

	/**
	 * A runtime's ring.
	 * @param subscriptions how many all-jobs subscriptions that want lines are open: each reads every job's lines
	 */
	public DecodedLines(IntSupplier subscriptions) {
		this(SIZE, subscriptions);
	}

	private DecodedLines(int size, IntSupplier subscriptions) {
		this.slots = new Object[size];
		this.mask = size - 1;
		this.subscriptions = subscriptions;
	}

	/**
	 * A ring for one log, whose lines only its own readers read.
	 * @return the ring
	 */
	static DecodedLines ofOneLog() {
		return new DecodedLines(SIZE_OF_ONE_LOG, () -> 0);
	}

	/**
	 * Whether a job's lines have several readers, so that a line one of them decodes is worth sharing. Any thread.
	 * @param logReaders the readers of the job's event log
	 * @return {@code true} if more than one reader, counting the all-jobs subscriptions that want lines
	 */
	boolean sharedBy(int logReaders) {
		return logReaders + this.subscriptions.getAsInt() > 1;
	}

	/**
	 * A line's event: the one another reader decoded, if still held, or decoded here and held for the others.
	 * @param run the lines of its read
	 * @param seq the line's seq
	 * @param ref its reference in the run
	 * @return the event
	 */
	Event.OutputAppended line(LineRun run, long seq, long ref) {
		if (LineRef.length(ref) > MAX_LENGTH) {
			return run.line(seq, ref);
		}
		int slot = (int) (seq + run.slotBase()) & this.mask;
		Object held = SLOTS.getAcquire(this.slots, slot);
		// the same job's JobId instance: every run of a job has its job's; a seq is never 0
		long heldSeq = (held instanceof Event.OutputAppended shared && shared.jobId() == run.jobId()) ? shared.seq()
				: 0;
		if (heldSeq == seq) {
			return (Event.OutputAppended) held;
		}
		Event.OutputAppended line = run.line(seq, ref);
		if (heldSeq < seq) {
			// a newer line there is one a reader ahead decoded: kept for this reader, which gets to it later
			SLOTS.setRelease(this.slots, slot, line);
		}
		return line;
	}

}
