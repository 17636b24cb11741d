package io.execra.internal.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.execra.ExecraListener;

/** Counts the store writes and dropped events the writer reports. */
final class RecordingListener implements ExecraListener {

	final AtomicInteger writesSucceeded = new AtomicInteger();

	final AtomicInteger writesFailed = new AtomicInteger();

	final AtomicLong eventsDropped = new AtomicLong();

	@Override
	public void storeWrite(Duration latency, boolean success) {
		(success ? this.writesSucceeded : this.writesFailed).incrementAndGet();
	}

	@Override
	public void storeEventsDropped(long count) {
		this.eventsDropped.addAndGet(count);
	}

}
