package io.execra.internal;

import java.util.Arrays;

/**
 * The lines decoded from one read of a stream, handed to the job's event log together so that the job's lock is
 * taken, the clock read and subscribers woken once per read rather than once per line. Not thread-safe: one per
 * pump.
 */
final class LineBatch implements LineDecoder.Sink {

	private String[] texts = new String[64];

	private boolean[] splits = new boolean[64];

	private int[] bytes = new int[64];

	private int size;

	@Override
	public void line(String text, boolean split, int length) {
		if (this.size == this.texts.length) {
			int capacity = this.size * 2;
			this.texts = Arrays.copyOf(this.texts, capacity);
			this.splits = Arrays.copyOf(this.splits, capacity);
			this.bytes = Arrays.copyOf(this.bytes, capacity);
		}
		this.texts[this.size] = text;
		this.splits[this.size] = split;
		this.bytes[this.size] = length;
		this.size++;
	}

	int size() {
		return this.size;
	}

	String text(int index) {
		return this.texts[index];
	}

	boolean split(int index) {
		return this.splits[index];
	}

	int bytes(int index) {
		return this.bytes[index];
	}

	/** Forgets the lines (dropping the references, so the strings can be collected). */
	void clear() {
		Arrays.fill(this.texts, 0, this.size, null);
		this.size = 0;
	}

}
