package io.execra.internal;

import org.jspecify.annotations.Nullable;

/**
 * References gathered for one bulk copy into a long-lived array (a ring written at every output line). With G1,
 * each store of a new object into an old array pays a card-marking fence, which also waits for the stores of the
 * allocations before it; stores into a freshly allocated array do not, and {@link System#arraycopy} marks the
 * destination's cards once for the whole range. So the references of a batch of lines are gathered here and
 * copied in bulk. A new array is taken after each {@link #clear()}, so the one being filled is always young. Not
 * thread-safe.
 */
final class RefBatch {

	/** References gathered at most before the owner must copy them out. */
	static final int CAPACITY = 512;

	private Object @Nullable [] items;

	private int size;

	/**
	 * Gathers a reference.
	 * @param item the reference
	 * @return whether the batch is now full
	 */
	boolean add(Object item) {
		Object[] array = this.items;
		if (array == null) {
			array = new Object[CAPACITY];
			this.items = array;
		}
		array[this.size++] = item;
		return this.size == CAPACITY;
	}

	int size() {
		return this.size;
	}

	/**
	 * A reference gathered.
	 * @param index its index, below {@link #size()}
	 * @return the reference
	 */
	Object get(int index) {
		return this.items[index];
	}

	/**
	 * Copies gathered references into a ring, wrapping around its end.
	 * @param from the index of the first to copy
	 * @param count how many
	 * @param ring the ring, of a power-of-two length not below {@code count}
	 * @param start the index in the ring of the first
	 */
	void copyTo(int from, int count, Object[] ring, int start) {
		int first = Math.min(count, ring.length - start);
		System.arraycopy(this.items, from, ring, start, first);
		System.arraycopy(this.items, from + first, ring, 0, count - first);
	}

	/** Forgets what was gathered, dropping the array. */
	void clear() {
		this.items = null;
		this.size = 0;
	}

}
