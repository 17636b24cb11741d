package io.execra.internal.log;

/**
 * A line of ASCII bytes seen as text without decoding it: each byte is a character. One view is moved from line to
 * line, so whoever is handed it must not keep it. Not thread-safe.
 */
public final class AsciiText implements CharSequence {

	private byte[] bytes = new byte[0];

	private int start;

	private int length;

	/**
	 * Moves the view to a line.
	 * @param bytes the bytes, all ASCII from {@code start} for {@code length}
	 * @param start the first
	 * @param length how many
	 * @return this view
	 */
	public AsciiText of(byte[] bytes, int start, int length) {
		this.bytes = bytes;
		this.start = start;
		this.length = length;
		return this;
	}

	@Override
	public int length() {
		return this.length;
	}

	@Override
	public char charAt(int index) {
		if (index < 0 || index >= this.length) {
			throw new IndexOutOfBoundsException("index " + index + " of a text of length " + this.length);
		}
		return (char) this.bytes[this.start + index];
	}

	@Override
	public CharSequence subSequence(int start, int end) {
		return toString().substring(start, end);
	}

	@Override
	public String toString() {
		return LineRun.ascii(this.bytes, this.start, this.length);
	}

}
