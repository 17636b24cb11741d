package io.execra.internal;

import java.time.Instant;
import java.util.Arrays;

import io.execra.StdStream;
import org.jspecify.annotations.Nullable;

/**
 * The lines decoded from one read of a stream: each is handed on as soon as it is decoded, with the timestamp of
 * the read (they arrived together), while the job's lock is held once for the whole read. Only the lines' sizes
 * are kept, for the listeners told after the lock is released: no line is held beyond its handling, and keeping
 * sizes writes no reference into a long-lived array. Not thread-safe: one per pump, used under its decoder's
 * monitor.
 */
final class LineBatch implements LineDecoder.Sink {

	/** Handles one line of the batch. */
	@FunctionalInterface
	interface Handler {

		/**
		 * Handles a line.
		 * @param stream the stream
		 * @param text the decoded text
		 * @param split whether the line continues in the next one
		 * @param bytes the raw length in bytes
		 * @param at when the line was read
		 */
		void line(StdStream stream, String text, boolean split, int bytes, Instant at);

	}

	private final StdStream stream;

	private final Handler handler;

	private @Nullable Instant at;

	private boolean handling;

	private int[] bytes = new int[256];

	private int size;

	LineBatch(StdStream stream, Handler handler) {
		this.stream = stream;
		this.handler = handler;
	}

	/**
	 * Starts a batch.
	 * @param at when its lines were read
	 * @param handle whether to hand the lines on, or only to count them
	 */
	void start(Instant at, boolean handle) {
		this.at = at;
		this.handling = handle;
		this.size = 0;
	}

	@Override
	public void line(String text, boolean split, int length) {
		if (this.size == this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes, this.size * 2);
		}
		this.bytes[this.size++] = length;
		if (this.handling && this.at != null) {
			this.handler.line(this.stream, text, split, length, this.at);
		}
	}

	StdStream stream() {
		return this.stream;
	}

	/** @return the number of lines in the batch */
	int size() {
		return this.size;
	}

	/**
	 * The size of a line.
	 * @param index the line's index in the batch
	 * @return its raw length in bytes
	 */
	int bytes(int index) {
		return this.bytes[index];
	}

}
