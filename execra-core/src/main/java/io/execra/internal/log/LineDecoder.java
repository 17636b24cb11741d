package io.execra.internal.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Frames a byte stream into lines: {@code \n}, {@code \r\n} and a bare {@code \r} (progress bars) each end a line;
 * empty lines and a final unterminated line are kept; invalid UTF-8 becomes U+FFFD, nothing is dropped. A line
 * longer than the maximum is cut into parts (never inside a UTF-8 sequence) and each part but the last is flagged
 * as split, so memory stays bounded whatever the input. Not thread-safe: one decoder per stream.
 */
public final class LineDecoder {

	/** Receives decoded lines. */
	interface Sink {

		/**
		 * A line (or part of a long line).
		 * @param text the decoded text, without terminator
		 * @param split whether the line continues in the next call
		 * @param bytes the raw length in bytes
		 */
		void line(String text, boolean split, int bytes);

		/**
		 * A whole line, not split, lying in the buffer passed to {@link #feed}: the sink may keep a reference to
		 * its bytes rather than decode them (see {@link LineRun}). By default it is decoded.
		 * @param bytes the buffer passed to {@link #feed}, valid until that call returns
		 * @param start the line's first byte
		 * @param length its length in bytes, without terminator
		 * @param ascii whether its bytes are all ASCII
		 */
		default void line(byte[] bytes, int start, int length, boolean ascii) {
			line(LineRun.decode(bytes, start, length, ascii), false, length);
		}

	}

	private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

	private static final long CARRIAGE_RETURNS = 0x0D0D0D0D0D0D0D0DL;

	private static final long HIGH_BITS = 0x8080808080808080L;

	/** Set in what {@link #scan} returns when a byte it read has its high bit set: the line may not be ASCII. */
	private static final long NOT_ASCII = 1L << 32;

	private static final byte[] NO_BYTES = new byte[0];

	/** The partial line's first buffer. */
	private static final int FIRST_BUFFER = 8192;

	private final int maxLineBytes;

	private final Sink sink;

	/** The partial line; allocated once there is one, since a stream of many idle jobs may never need it. */
	private byte[] buffer = NO_BYTES;

	private int length;

	private boolean afterCarriageReturn;

	public LineDecoder(int maxLineBytes, Sink sink) {
		if (maxLineBytes < 4) {
			throw new IllegalArgumentException("'maxLineBytes' must be at least 4 but was " + maxLineBytes);
		}
		this.maxLineBytes = maxLineBytes;
		this.sink = sink;
	}

	/**
	 * Feeds bytes read from the stream.
	 * @param bytes the buffer
	 * @param offset start
	 * @param count how many
	 */
	public void feed(byte[] bytes, int offset, int count) {
		int end = offset + count;
		int start = offset;
		boolean afterCarriageReturn = this.afterCarriageReturn;
		int i = offset;
		long found;
		// each scan starts where a line starts, so it tells whether that line's bytes are all ASCII
		while ((i = (int) (found = scan(bytes, i, end))) < end) {
			byte b = bytes[i];
			if (i > start) {
				afterCarriageReturn = false;
			}
			if (b == '\n' && afterCarriageReturn && i == start && this.length == 0) {
				// the \n of a \r\n whose \r already ended the line
				afterCarriageReturn = false;
				start = ++i;
				continue;
			}
			int lineLength = i - start;
			if (this.length == 0 && lineLength <= this.maxLineBytes) {
				// the whole line is in the caller's buffer: decoded from there, without copying, or not at all
				this.sink.line(bytes, start, lineLength, (found & NOT_ASCII) == 0);
			}
			else {
				append(bytes, start, lineLength);
				emit(false);
			}
			afterCarriageReturn = (b == '\r');
			start = ++i;
		}
		this.afterCarriageReturn = afterCarriageReturn && start == end;
		append(bytes, start, end - start);
	}

	/**
	 * The index of the first {@code \n} or {@code \r}, looking at eight bytes at a time: in each little-endian word
	 * XORed with the terminator in every byte, the lowest byte that became zero is the first match (the zero-byte
	 * test may also flag bytes above a true zero, never below it).
	 * @return the index, or {@code end} if there is none
	 */
	static int indexOfTerminator(byte[] bytes, int from, int end) {
		return (int) scan(bytes, from, end);
	}

	/**
	 * {@link #indexOfTerminator}, with {@link #NOT_ASCII} set if a byte read on the way (the bytes before the
	 * terminator, and maybe a few after it in the same word) is not ASCII.
	 */
	private static long scan(byte[] bytes, int from, int end) {
		long high = 0;
		int i = from;
		for (; i + Long.BYTES <= end; i += Long.BYTES) {
			long word = (long) WORDS.get(bytes, i);
			high |= word;
			long found = zeroBytes(word ^ NEWLINES) | zeroBytes(word ^ CARRIAGE_RETURNS);
			if (found != 0) {
				return (i + (Long.numberOfTrailingZeros(found) >>> 3)) | (((high & HIGH_BITS) != 0) ? NOT_ASCII : 0);
			}
		}
		for (; i < end; i++) {
			byte b = bytes[i];
			if (b == '\n' || b == '\r') {
				break;
			}
			high |= b;
		}
		return i | (((high & HIGH_BITS) != 0) ? NOT_ASCII : 0);
	}

	private static long zeroBytes(long word) {
		return (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
	}

	/**
	 * Whether an unterminated line is waiting for its end.
	 * @return {@code true} if bytes of a line are held
	 */
	public boolean hasPartial() {
		return this.length > 0;
	}

	/**
	 * Emits the unterminated line held so far as a split line (its end will follow as another line): a prompt that
	 * waits for an answer without printing a newline must still reach interpreters.
	 */
	public void flushPartial() {
		if (this.length > 0) {
			emitSplit();
		}
	}

	/**
	 * Ends the stream: emits the final unterminated line, if any.
	 */
	public void finish() {
		if (this.length > 0) {
			emit(false);
		}
	}

	private void append(byte[] bytes, int offset, int count) {
		while (count > 0) {
			int room = this.maxLineBytes - this.length;
			if (room == 0) {
				emitSplit();
				continue;
			}
			int n = Math.min(room, count);
			ensureCapacity(this.length + n);
			System.arraycopy(bytes, offset, this.buffer, this.length, n);
			this.length += n;
			offset += n;
			count -= n;
		}
	}

	private void ensureCapacity(int needed) {
		if (needed > this.buffer.length) {
			int size = Math.min(this.maxLineBytes, Math.max(needed, Math.max(FIRST_BUFFER, this.buffer.length * 2)));
			byte[] bigger = new byte[size];
			System.arraycopy(this.buffer, 0, bigger, 0, this.length);
			this.buffer = bigger;
		}
	}

	private void emitSplit() {
		// cut before an incomplete UTF-8 sequence at the end, so no character is torn in two
		int cut = this.length;
		int back = 0;
		while (back < 3 && cut - back - 1 >= 0 && isContinuation(this.buffer[cut - back - 1])) {
			back++;
		}
		int lead = cut - back - 1;
		if (lead >= 0 && back < 3 && sequenceLength(this.buffer[lead]) > back + 1) {
			cut = lead;
		}
		if (cut == 0) {
			cut = this.length;
		}
		this.sink.line(new String(this.buffer, 0, cut, StandardCharsets.UTF_8), true, cut);
		System.arraycopy(this.buffer, cut, this.buffer, 0, this.length - cut);
		this.length -= cut;
	}

	private void emit(boolean split) {
		this.sink.line(new String(this.buffer, 0, this.length, StandardCharsets.UTF_8), split, this.length);
		this.length = 0;
	}

	private static boolean isContinuation(byte b) {
		return (b & 0xC0) == 0x80;
	}

	private static int sequenceLength(byte b) {
		if ((b & 0xE0) == 0xC0) {
			return 2;
		}
		if ((b & 0xF0) == 0xE0) {
			return 3;
		}
		if ((b & 0xF8) == 0xF0) {
			return 4;
		}
		return 1;
	}

}
