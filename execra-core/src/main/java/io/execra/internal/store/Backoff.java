package io.execra.internal.store;

import java.time.Duration;

/**
 * The pauses between attempts to write a batch the store did not take: doubling from the first to the longest,
 * then staying there. One instance per batch.
 */
final class Backoff {

	static final Duration FIRST = Duration.ofMillis(100);

	static final Duration LONGEST = Duration.ofSeconds(5);

	private final Duration longest;

	private Duration next;

	Backoff() {
		this(FIRST, LONGEST);
	}

	Backoff(Duration first, Duration longest) {
		this.next = first;
		this.longest = longest;
	}

	/** @return whether the pauses have reached the longest */
	boolean exhausted() {
		return this.next.compareTo(this.longest) >= 0;
	}

	/**
	 * The next pause, and the one after it doubled.
	 * @return how long to pause now
	 */
	Duration next() {
		Duration pause = this.next;
		Duration doubled = this.next.multipliedBy(2);
		this.next = (doubled.compareTo(this.longest) >= 0) ? this.longest : doubled;
		return pause;
	}

}
