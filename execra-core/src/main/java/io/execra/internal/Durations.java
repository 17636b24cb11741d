package io.execra.internal;

import java.time.Duration;

/**
 * Converts a timeout or a wait to a count of time units without overflow. A {@link Duration} reaches far past what a
 * {@code long} of nanoseconds holds (about 292 years), where {@link Duration#toNanos()} throws; a wait that long is
 * a wait without end, so it saturates instead. Negative durations become zero: no wait.
 * <p>
 * Deadlines built on the result stay right: {@code System.nanoTime() + nanos} may wrap, but the time left,
 * {@code deadline - System.nanoTime()}, is exact in wrapping arithmetic.
 */
public final class Durations {

	private static final Duration LONGEST_NANOS = Duration.ofNanos(Long.MAX_VALUE);

	private Durations() {
	}

	/**
	 * The duration in nanoseconds.
	 * @param duration the duration
	 * @return its nanoseconds, {@code 0} when negative, {@link Long#MAX_VALUE} when more than a {@code long} holds
	 */
	public static long nanos(Duration duration) {
		if (duration.isNegative()) {
			return 0;
		}
		return (duration.compareTo(LONGEST_NANOS) >= 0) ? Long.MAX_VALUE : duration.toNanos();
	}

}
