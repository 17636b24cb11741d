package io.execra.internal.log;

import io.execra.Event;
import io.execra.JobId;

/**
 * One output line left undecoded (see {@link UndecodedLines}), queued for all-jobs subscribers in place of its
 * event: their reader decodes it when it takes it, rather than the job's thread when it reads the line. Immutable.
 */
public final class UndecodedLine {

	private final UndecodedLines lines;

	private final long ref;

	private final long seq;

	public UndecodedLine(UndecodedLines lines, long ref, long seq) {
		this.lines = lines;
		this.ref = ref;
		this.seq = seq;
	}

	/**
	 * Decodes the line into its event.
	 * @return the event
	 */
	public Event.OutputAppended event() {
		return this.lines.line(this.seq, this.ref);
	}

	/**
	 * The job of an event or of a line queued undecoded.
	 * @param queued an {@link Event} or an {@link UndecodedLine}
	 * @return the job
	 */
	public static JobId jobId(Object queued) {
		return (queued instanceof UndecodedLine line) ? line.lines.jobId() : ((Event) queued).jobId();
	}

	/**
	 * The seq of an event or of a line queued undecoded.
	 * @param queued an {@link Event} or an {@link UndecodedLine}
	 * @return the seq
	 */
	public static long seq(Object queued) {
		return (queued instanceof UndecodedLine line) ? line.seq : ((Event) queued).seq();
	}

	/**
	 * The cost of an event or of a line queued undecoded, as the replay window counts it ({@link EventLog#cost},
	 * {@link EventLog#lineCost} of its length in bytes).
	 * @param queued an {@link Event} or an {@link UndecodedLine}
	 * @return the cost
	 */
	public static int cost(Object queued) {
		return (queued instanceof UndecodedLine line) ? EventLog.lineCost(UndecodedLines.length(line.ref))
				: EventLog.cost((Event) queued);
	}

	/**
	 * An event, or the event of a line queued undecoded.
	 * @param queued an {@link Event} or an {@link UndecodedLine}
	 * @return the event
	 */
	public static Event event(Object queued) {
		return (queued instanceof UndecodedLine line) ? line.event() : (Event) queued;
	}

}
