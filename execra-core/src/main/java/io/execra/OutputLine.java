package io.execra;

import java.time.Instant;

/**
 * An output line handed to an {@link EventVisitor} as a view, without an {@link Event.OutputAppended} of its own:
 * what {@link EventStream#nextBatch(int, java.time.Duration, EventVisitor)} gives a reader that takes lines by the
 * thousand. The view is valid only during the {@link EventVisitor#onLine} call it is passed to, and may be moved to
 * the next line after it: keep {@link #line()} or {@link #toEvent()}, never the view or its {@link #text()}.
 */
public interface OutputLine {

	/**
	 * The job the line belongs to.
	 * @return the job id
	 */
	JobId jobId();

	/**
	 * The line's position in its job, as {@link Event#seq()}.
	 * @return the sequence number
	 */
	long seq();

	/**
	 * When the line was read.
	 * @return the timestamp
	 */
	Instant at();

	/**
	 * The stream the line was written to.
	 * @return stdout or stderr
	 */
	StdStream stream();

	/**
	 * The line's text, without its terminator, as a view that is not copied where it can be read in place (an
	 * ASCII line is read from the bytes of the pipe's read). Valid only during the call it was passed to.
	 * @return the text
	 */
	CharSequence text();

	/**
	 * The line's text as a string of its own, which may be kept: {@link Event.OutputAppended#line()}.
	 * @return the text
	 */
	String line();

	/**
	 * Whether the line is a part of a longer one that was split at the runtime's line limit, as
	 * {@link Event.OutputAppended#split()}.
	 * @return {@code true} if split
	 */
	boolean split();

	/**
	 * The line as the event {@link EventStream#next} would have given.
	 * @return the event, which may be kept
	 */
	Event.OutputAppended toEvent();

	/**
	 * A view of a line's event, for streams that hold their lines as events.
	 * @param event the event
	 * @return the view
	 */
	static OutputLine of(Event.OutputAppended event) {
		Checks.notNull(event, "event");
		return new OutputLine() {

			@Override
			public JobId jobId() {
				return event.jobId();
			}

			@Override
			public long seq() {
				return event.seq();
			}

			@Override
			public Instant at() {
				return event.at();
			}

			@Override
			public StdStream stream() {
				return event.stream();
			}

			@Override
			public CharSequence text() {
				return event.line();
			}

			@Override
			public String line() {
				return event.line();
			}

			@Override
			public boolean split() {
				return event.split();
			}

			@Override
			public Event.OutputAppended toEvent() {
				return event;
			}

			@Override
			public String toString() {
				return event.toString();
			}

		};
	}

}
