package io.execra.internal.log;

/**
 * A reference to one output line inside the bytes of its {@link LineRun}, packed into a {@code long} so that the
 * job's thread stores a line without an object of its own. This class owns the layout; nothing else masks or shifts a
 * reference.
 * <ul>
 * <li>bit 63: every byte of the line is ASCII (then each byte is a character);</li>
 * <li>bit 62: the event log keeps the line as retained output too ({@link #retained});</li>
 * <li>bits 31 to 61: the line's length in bytes, without terminator;</li>
 * <li>bits 0 to 30: the index of its first byte in the run's bytes.</li>
 * </ul>
 * A read buffer is far smaller than 2 GiB, so 31 bits hold any start or length.
 */
public final class LineRef {

	private static final long FIELD = 0x7FFF_FFFFL;

	private static final int LENGTH_SHIFT = 31;

	private static final long ASCII = 1L << 63;

	private static final long RETAINED = 1L << 62;

	private LineRef() {
	}

	/**
	 * The reference of a line.
	 * @param start its first byte's index in the run's bytes
	 * @param length its length in bytes, without terminator
	 * @param ascii whether every byte is ASCII
	 * @return the reference, not marked retained
	 */
	public static long of(int start, int length, boolean ascii) {
		return (ascii ? ASCII : 0) | ((length & FIELD) << LENGTH_SHIFT) | (start & FIELD);
	}

	/**
	 * @param ref a reference
	 * @return the index of the line's first byte in the run's bytes
	 */
	public static int start(long ref) {
		return (int) (ref & FIELD);
	}

	/**
	 * @param ref a reference
	 * @return the line's length in bytes, without terminator
	 */
	public static int length(long ref) {
		return (int) ((ref >>> LENGTH_SHIFT) & FIELD);
	}

	/**
	 * The length in bytes of lines together.
	 * @param refs their references
	 * @param count how many, from index 0
	 * @return the sum of their lengths
	 */
	public static long length(long[] refs, int count) {
		long sum = 0;
		for (int i = 0; i < count; i++) {
			sum += length(refs[i]);
		}
		return sum;
	}

	/**
	 * @param ref a reference
	 * @return whether every byte of the line is ASCII
	 */
	public static boolean isAscii(long ref) {
		return (ref & ASCII) != 0;
	}

	/**
	 * The same reference, marked as that of a line the event log keeps as retained output too.
	 * @param ref a reference
	 * @return the marked reference
	 */
	static long retained(long ref) {
		return ref | RETAINED;
	}

	/**
	 * @param ref a reference
	 * @return whether it is marked by {@link #retained}
	 */
	static boolean isRetained(long ref) {
		return (ref & RETAINED) != 0;
	}

}
