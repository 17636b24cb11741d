package io.execra.internal.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ThreadFactory;

import io.execra.Event;
import org.jspecify.annotations.Nullable;

/**
 * The stored events of a job no longer in memory; complete once they are read.
 */
public final class StoredEventStream extends AbstractEventStream {

	private final ArrayDeque<Event> events;

	private volatile boolean closed;

	public StoredEventStream(List<Event> events, ThreadFactory threads) {
		super(threads);
		this.events = new ArrayDeque<>(events);
	}

	@Override
	public synchronized @Nullable Event next(Duration timeout) {
		return this.closed ? null : this.events.poll();
	}

	@Override
	public synchronized boolean isComplete() {
		return this.closed || this.events.isEmpty();
	}

	@Override
	public void close() {
		this.closed = true;
	}

}
