package io.execra.internal;

import java.time.Instant;

import io.execra.StdStream;
import org.jspecify.annotations.Nullable;

/**
 * The lines decoded from one read of a stream: each is handed on as soon as it is decoded, with the timestamp of
 * the read (they arrived together), while the job's lock is held once for the whole read. Only the number of lines
 * and their bytes are kept, for the listeners told after the lock is released: no line is held beyond its handling.
 * Not thread-safe: one per pump, used under its decoder's monitor.
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

	private int size;

	private long bytes;

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
		this.bytes = 0;
	}

	@Override
	public void line(String text, boolean split, int length) {
		this.size++;
		this.bytes += length;
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

	/** @return the raw length in bytes of the lines in the batch, terminators excluded */
	long bytes() {
		return this.bytes;
	}

}
