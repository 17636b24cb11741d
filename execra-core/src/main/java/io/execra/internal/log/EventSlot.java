package io.execra.internal.log;

import io.execra.Event;
import io.execra.EventVisitor;
import io.execra.JobId;
import org.jspecify.annotations.Nullable;

/**
 * How an event is held in an array slot without an object of its own per output line: either the {@link Event}
 * itself, or, for an output line left undecoded, its {@link LineRun}, with the line's {@link LineRef} kept beside it
 * in a {@code long[]}. The {@link EventChunks} of the event log and {@link EventBatch}es hold events so; this is
 * the only code that tells the two kinds apart.
 */
final class EventSlot {

	private EventSlot() {
	}

	/**
	 * @param held what a slot holds
	 * @return whether it is an output line, decoded or not
	 */
	static boolean isOutput(@Nullable Object held) {
		return held instanceof LineRun || held instanceof Event.OutputAppended;
	}

	/**
	 * The event a slot holds, decoded if it is an output line left undecoded, or taken from where the job's readers
	 * share their lines.
	 * @param held what the slot holds, or {@code null} if it is not written yet
	 * @param ref the line's reference beside it, if it is a line
	 * @param seq the event's seq
	 * @param sharing where the job's readers share their lines while it has several, or {@code null}
	 * @return the event, or {@code null} if the slot is not written yet
	 */
	static @Nullable Event event(@Nullable Object held, long ref, long seq, @Nullable DecodedLines sharing) {
		if (!(held instanceof LineRun run)) {
			return (Event) held;
		}
		return (sharing != null) ? sharing.line(run, seq, ref) : run.line(seq, ref);
	}

	/**
	 * Hands what a slot holds to a visitor: an output line as a view, decoded or not, any other event as it is.
	 * @param held what the slot holds, not {@code null}
	 * @param ref the line's reference beside it, if it is a line
	 * @param seq the event's seq
	 * @param view the reader's view, moved to the line if it is one
	 * @param visitor the visitor
	 */
	static void visit(Object held, long ref, long seq, LineView view, EventVisitor visitor) {
		if (held instanceof LineRun run) {
			visitor.onLine(view.of(run, seq, ref));
		}
		else if (held instanceof Event.OutputAppended line) {
			visitor.onLine(view.of(line));
		}
		else {
			visitor.onEvent((Event) held);
		}
	}

	/**
	 * The event a slot of a subscription's queue holds, a line shared with its job's other readers while it has
	 * several (see {@link LineRun#sharedLine}).
	 * @param held what the slot holds
	 * @param ref the line's reference beside it, if it is a line
	 * @param seq the event's seq
	 * @return the event
	 */
	static Event shared(Object held, long ref, long seq) {
		return (held instanceof LineRun run) ? run.sharedLine(seq, ref) : (Event) held;
	}

	/**
	 * The event a slot holds unless it is an output line, decoded or not: nothing is decoded only to be skipped.
	 * @param held what the slot holds
	 * @return the event, or {@code null} if it is an output line or the slot is not written yet
	 */
	static @Nullable Event unlessOutput(@Nullable Object held) {
		return (held instanceof Event event && !(event instanceof Event.OutputAppended)) ? event : null;
	}

	/**
	 * @param held what a slot holds, not {@code null}
	 * @return the job of its event
	 */
	static JobId jobId(Object held) {
		return (held instanceof LineRun run) ? run.jobId() : ((Event) held).jobId();
	}

}
