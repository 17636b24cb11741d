package io.execra;

import java.time.Duration;

/**
 * Receives the events {@link EventStream#nextBatch(int, Duration, EventVisitor)} takes, on the thread that called
 * it, in order: each output line as an {@link OutputLine} view, without an event object or a string of its own
 * where the stream can avoid them, and every other event as it is ({@link Event.Lagged} and
 * {@link Event.Finalized} included).
 * <pre>{@code
 * try (EventStream events = handle.events(Delivery.LOSSLESS)) {
 *     while (!events.isComplete()) {
 *         events.nextBatch(4096, Duration.ofSeconds(1), new EventVisitor() {
 *             public void onLine(OutputLine line) { out.append(line.text()).append('\n'); }
 *             public void onEvent(Event event) { ... }
 *         });
 *     }
 * }
 * }</pre>
 */
public interface EventVisitor {

	/**
	 * An output line.
	 * @param line a view of the line, valid only during this call
	 */
	void onLine(OutputLine line);

	/**
	 * An event that is not an output line.
	 * @param event the event
	 */
	void onEvent(Event event);

}
