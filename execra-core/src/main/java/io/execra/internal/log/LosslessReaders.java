package io.execra.internal.log;

import java.util.Arrays;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/**
 * The lossless readers of a job's {@link EventLog}: each pins the events after its position, which the replay window
 * then keeps beyond its bounds (see {@link EventLog#heldByLosslessReaders()}), and the job's pumps wait for them
 * before reading more. A reader tells its moves with one volatile store and one volatile load per batch it takes;
 * it wakes the pumps only when it passes the seq they wait for, so a pump held back is woken once per half window,
 * not once per batch.
 * <p>
 * Readers are added and removed under this object's monitor; the pumps' seq to resume at is set under the job's
 * lock.
 */
public final class LosslessReaders {

	private static final Pin[] NONE = new Pin[0];

	/** The pins, copied on change: the writer reads them at every publish, readers never. */
	private volatile Pin[] pins = NONE;

	/** The seq the pumps wait for the slowest reader to reach, or {@link Long#MAX_VALUE} while none waits. */
	private volatile long resumeAt = Long.MAX_VALUE;

	private int pumpsWaiting;

	/** Set once the job no longer waits for its readers: later pins are released from the start. */
	private boolean ended;

	private final EventWaiters progress = new EventWaiters();

	/** Told, instead of a blocked pump, where the event loop holds the job's streams unread; {@code null} if none. */
	private volatile @Nullable Runnable pumpWaker;

	/**
	 * One lossless reader's hold on the log: its position, and how long it may take nothing while a pump waits.
	 */
	public static final class Pin {

		private final long stallNanos;

		private volatile long position;

		private volatile boolean released;

		Pin(long position, long stallNanos) {
			this.position = position;
			this.stallNanos = stallNanos;
		}

		/** @return the seq of the last event the reader took */
		public long position() {
			return this.position;
		}

		/** @return how long the reader may take nothing while a pump waits for it, in nanoseconds */
		public long stallNanos() {
			return this.stallNanos;
		}

		/** @return whether it no longer holds the log: closed, or released after a stall */
		public boolean released() {
			return this.released;
		}

	}

	/**
	 * Adds a reader's pin.
	 * @param position the last seq it has
	 * @param stallNanos how long it may take nothing while a pump waits for it
	 * @return the pin
	 */
	synchronized Pin add(long position, long stallNanos) {
		Pin pin = new Pin(position, stallNanos);
		if (this.ended) {
			pin.released = true;
			return pin;
		}
		Pin[] pins = Arrays.copyOf(this.pins, this.pins.length + 1);
		pins[pins.length - 1] = pin;
		this.pins = pins;
		return pin;
	}

	/**
	 * Removes a pin, when its reader closes or stalled, and wakes the pumps waiting for it. Idempotent.
	 * @param pin the pin
	 */
	public void release(Pin pin) {
		synchronized (this) {
			if (pin.released) {
				return;
			}
			pin.released = true;
			Pin[] pins = this.pins;
			Pin[] kept = new Pin[pins.length - 1];
			int i = 0;
			for (Pin p : pins) {
				if (p != pin) {
					kept[i++] = p;
				}
			}
			this.pins = kept;
		}
		wakeAll();
	}

	/**
	 * Releases every pin, now and to come, and wakes the pumps: the job is being stopped, and its readers read as
	 * best-effort ones from now on. Idempotent.
	 */
	public void releaseAll() {
		synchronized (this) {
			this.ended = true;
			for (Pin pin : this.pins) {
				pin.released = true;
			}
			this.pins = NONE;
		}
		wakeAll();
	}

	/**
	 * A reader took events up to this seq; wakes the pumps if they wait for it. Reader only.
	 * @param pin its pin
	 * @param position the seq of the last event it took
	 */
	void moved(Pin pin, long position) {
		pin.position = position;
		if (position >= this.resumeAt) {
			wakeAll();
		}
	}

	/** @return whether any lossless reader holds the log. Any thread; one volatile load */
	public boolean any() {
		return this.pins.length > 0;
	}

	/**
	 * The slowest reader's pin.
	 * @return it, or {@code null} if there is none
	 */
	public @Nullable Pin slowest() {
		Pin slowest = null;
		for (Pin pin : this.pins) {
			if (slowest == null || pin.position < slowest.position) {
				slowest = pin;
			}
		}
		return slowest;
	}

	/** @return the position of the slowest reader, {@link Long#MAX_VALUE} if there is none */
	long lowest() {
		long lowest = Long.MAX_VALUE;
		for (Pin pin : this.pins) {
			lowest = Math.min(lowest, pin.position);
		}
		return lowest;
	}

	/**
	 * Marks a pump as waiting for the slowest reader to reach a seq. Call under the job's lock, then
	 * {@link #awaitProgress}, then {@link #stopWaiting()} under the lock.
	 * @param seq the seq
	 */
	public void startWaiting(long seq) {
		this.pumpsWaiting++;
		this.resumeAt = Math.min(this.resumeAt, seq);
	}

	/** A pump stopped waiting; under the job's lock. */
	public void stopWaiting() {
		if (--this.pumpsWaiting == 0) {
			this.resumeAt = Long.MAX_VALUE;
		}
	}

	/**
	 * Waits until every reader reached the seq set with {@link #startWaiting}, a pin is released, the time is up,
	 * or {@code stop} says so.
	 * @param nanos the longest wait
	 * @param stop checked before each wait
	 * @throws InterruptedException if interrupted while waiting
	 */
	public void awaitProgress(long nanos, BooleanSupplier stop) throws InterruptedException {
		this.progress.await(() -> lowest() >= this.resumeAt, nanos, stop);
	}

	/** Wakes the waiting pumps, so that each checks whether it should stop waiting. */
	public void wakePumps() {
		wakeAll();
	}

	/**
	 * Sets what is told, with the waiting pumps, when they are to check whether to go on: the event loop's way of
	 * waiting, which blocks no thread. It must be cheap and not block: it runs on a reader's thread.
	 * @param waker told; {@code null} to tell nothing
	 */
	public void pumpWaker(@Nullable Runnable waker) {
		this.pumpWaker = waker;
	}

	private void wakeAll() {
		this.progress.wakeAll();
		Runnable waker = this.pumpWaker;
		if (waker != null) {
			waker.run();
		}
	}

}
