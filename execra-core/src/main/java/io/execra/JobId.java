package io.execra;

import java.io.Serializable;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * Identifier of a job: a time-ordered UUID (version 7), so ids sort by creation time.
 *
 * @param value the UUID
 */
public record JobId(UUID value) implements Comparable<JobId>, Serializable {

	private static final SecureRandom RANDOM = new SecureRandom();

	public JobId {
		Objects.requireNonNull(value, "'value' must not be null");
	}

	/**
	 * Creates a new UUID v7 job id whose timestamp comes from the given clock.
	 * @param clock the clock
	 * @return a new id
	 */
	public static JobId generate(Clock clock) {
		long millis = clock.millis();
		long randA = RANDOM.nextInt(1 << 12);
		long msb = (millis << 16) | (0x7L << 12) | randA;
		long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new JobId(new UUID(msb, lsb));
	}

	/**
	 * Parses the string form of a job id.
	 * @param text a UUID string
	 * @return the id
	 * @throws IllegalArgumentException if the text is not a UUID
	 */
	public static JobId parse(String text) {
		try {
			return new JobId(UUID.fromString(text.trim()));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("'" + text + "' is not a job id (expected a UUID)", ex);
		}
	}

	@Override
	public int compareTo(JobId other) {
		return this.value.compareTo(other.value);
	}

	@Override
	public String toString() {
		return this.value.toString();
	}

}
