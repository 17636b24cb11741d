package io.execra.sample.web;

import java.util.function.Function;

import io.execra.Event;
import org.jspecify.annotations.Nullable;

/**
 * What a client resuming a job's event stream after the event {@code seq} (its {@code Last-Event-ID}) still needs:
 * the events after it, and a {@link Event.Lagged lag} only when events it needs were lost, naming the first of
 * those rather than the first the stream lost.
 *
 * @param seq the seq of the last event the client received, 0 for none
 */
record ResumeAfter(long seq) implements Function<Event, @Nullable Event> {

	ResumeAfter {
		if (seq < 0) {
			throw new IllegalArgumentException("'seq' must not be negative");
		}
	}

	/**
	 * Parses a {@code Last-Event-ID} header.
	 * @param lastEventId the header, or {@code null} when absent
	 * @return where to resume
	 * @throws IllegalArgumentException if the header is not a seq
	 */
	static ResumeAfter lastEventId(@Nullable String lastEventId) {
		if (lastEventId == null || lastEventId.isBlank()) {
			return new ResumeAfter(0);
		}
		try {
			return new ResumeAfter(Long.parseLong(lastEventId.trim()));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"'Last-Event-ID' must be the seq of an event, not '" + lastEventId + "'", ex);
		}
	}

	@Override
	public @Nullable Event apply(Event event) {
		if (event instanceof Event.Lagged lagged) {
			boolean missedNothingNeeded = lagged.resumeSeq() != 0 && lagged.resumeSeq() <= this.seq + 1;
			return missedNothingNeeded ? null
					: new Event.Lagged(lagged.jobId(), Math.max(lagged.seq(), this.seq + 1), lagged.at(),
							lagged.resumeSeq());
		}
		return (event.seq() > this.seq) ? event : null;
	}

}
