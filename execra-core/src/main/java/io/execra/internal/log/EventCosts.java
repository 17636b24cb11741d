package io.execra.internal.log;

import io.execra.Event;

/**
 * What events cost in memory, approximately, as every bound in bytes counts it: the replay window and an all-jobs
 * subscriber's buffer count {@linkplain #replay(Event) replay costs}, the retained output counts
 * {@linkplain #retainedLine(int) retained costs}. A line's cost follows from its length alone, so a line left
 * undecoded costs the same as its decoded event; its length in bytes stands for its characters (the same for ASCII,
 * an upper bound otherwise).
 */
public final class EventCosts {

	/** The replay cost of an event that is not an output line. */
	private static final int OTHER_EVENT = 128;

	private EventCosts() {
	}

	/**
	 * An event's cost in the replay window.
	 * @param event the event
	 * @return the cost
	 */
	public static int replay(Event event) {
		if (event instanceof Event.OutputAppended output) {
			return replayLine(output.line().length());
		}
		return OTHER_EVENT;
	}

	/**
	 * An output line's cost in the replay window.
	 * @param chars the line's length in characters
	 * @return the cost
	 */
	public static int replayLine(int chars) {
		return 64 + chars * 2;
	}

	/**
	 * The replay cost of a line left undecoded.
	 * @param ref its reference
	 * @return the cost
	 */
	static int replayLineRef(long ref) {
		return replayLine(LineRef.length(ref));
	}

	/**
	 * An output line's cost as retained output.
	 * @param chars the line's length in characters
	 * @return the cost
	 */
	public static int retainedLine(int chars) {
		return 32 + 2 * chars;
	}

	/**
	 * The retained-output cost of a line left undecoded: 0 unless its reference is marked retained.
	 * @param ref its reference
	 * @return the cost
	 */
	static int retainedLineRef(long ref) {
		return LineRef.isRetained(ref) ? retainedLine(LineRef.length(ref)) : 0;
	}

}
