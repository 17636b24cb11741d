package io.execra.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves only when told: the "database clock" of an {@link InMemoryClusterStore} in tests, advanced to
 * lapse leases. Thread-safe.
 */
public final class ManualClock extends Clock {

	private volatile Instant now;

	/**
	 * @param start the first instant
	 */
	public ManualClock(Instant start) {
		this.now = start;
	}

	/**
	 * Moves the clock forward.
	 * @param duration how far
	 */
	public synchronized void advance(Duration duration) {
		this.now = this.now.plus(duration);
	}

	@Override
	public Instant instant() {
		return this.now;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("A manual clock is UTC only");
	}

}
