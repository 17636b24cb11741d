package io.execra.internal.log;

import java.time.Instant;

import io.execra.Event;
import io.execra.JobId;
import io.execra.OutputLine;
import io.execra.StdStream;
import org.jspecify.annotations.Nullable;

/**
 * The {@link OutputLine} a reader moves from line to line as it hands them to an {@link io.execra.EventVisitor}:
 * a line left undecoded is read from its {@link LineRun}'s bytes, decoded only if its text is asked for and is not
 * ASCII. One per reader; not thread-safe.
 */
public final class LineView implements OutputLine {

	private final AsciiText ascii = new AsciiText();

	/** The line's run, when the line is held undecoded; otherwise {@link #event} is set. */
	private @Nullable LineRun run;

	private long ref;

	private long seq;

	/** The line's event, when the line is held decoded. */
	private Event.@Nullable OutputAppended event;

	/** The text asked for, once asked. */
	private @Nullable CharSequence text;

	/** Moves the view to a line held undecoded. */
	LineView of(LineRun run, long seq, long ref) {
		this.run = run;
		this.seq = seq;
		this.ref = ref;
		this.event = null;
		this.text = null;
		return this;
	}

	/**
	 * Moves the view to a line held as its event.
	 * @param event the line's event
	 * @return this view
	 */
	public LineView of(Event.OutputAppended event) {
		this.run = null;
		this.seq = event.seq();
		this.event = event;
		this.text = null;
		return this;
	}

	private LineRun run() {
		LineRun run = this.run;
		if (run == null) {
			throw new IllegalStateException("the view is on no line");
		}
		return run;
	}

	@Override
	public JobId jobId() {
		Event.OutputAppended event = this.event;
		return (event != null) ? event.jobId() : run().jobId();
	}

	@Override
	public long seq() {
		return this.seq;
	}

	@Override
	public Instant at() {
		Event.OutputAppended event = this.event;
		return (event != null) ? event.at() : run().at();
	}

	@Override
	public StdStream stream() {
		Event.OutputAppended event = this.event;
		return (event != null) ? event.stream() : run().stream();
	}

	@Override
	public CharSequence text() {
		CharSequence text = this.text;
		if (text == null) {
			Event.OutputAppended event = this.event;
			text = (event != null) ? event.line() : run().text(this.ref, this.ascii);
			this.text = text;
		}
		return text;
	}

	@Override
	public String line() {
		Event.OutputAppended event = this.event;
		if (event != null) {
			return event.line();
		}
		// a line that is not ASCII was decoded into a string already if its text was asked for
		return (this.text instanceof String decoded) ? decoded : run().text(this.ref);
	}

	@Override
	public boolean split() {
		// lines are held undecoded only whole
		Event.OutputAppended event = this.event;
		return event != null && event.split();
	}

	@Override
	public Event.OutputAppended toEvent() {
		Event.OutputAppended event = this.event;
		return (event != null) ? event : run().line(this.seq, this.ref);
	}

	@Override
	public String toString() {
		return "OutputLine[seq=" + this.seq + ", text=" + text() + "]";
	}

}
