package io.execra.autoconfigure.retention;

import java.time.Duration;
import java.time.Instant;

import io.execra.store.PruneCriteria;
import org.jspecify.annotations.Nullable;

/**
 * What a retention sweep deletes, resolved from {@link ExecraRetentionProperties}: a zero duration or count is a
 * rule switched off.
 *
 * @param maxAge age past which succeeded and cancelled jobs are deleted
 * @param failedMaxAge age past which failed jobs are deleted
 * @param maxJobs finalized jobs kept per store ({@code 0}: no limit)
 * @param keepTag the tag that pins a job, or {@code null}
 * @param outputFilesMaxAge age past which raw-output files are deleted
 * @param batchSize jobs deleted per store transaction
 */
public record RetentionPolicy(Duration maxAge, Duration failedMaxAge, long maxJobs, @Nullable String keepTag,
		Duration outputFilesMaxAge, int batchSize) {

	public RetentionPolicy {
		requireNotNegative(maxAge, "maxAge");
		requireNotNegative(failedMaxAge, "failedMaxAge");
		requireNotNegative(outputFilesMaxAge, "outputFilesMaxAge");
		if (maxJobs < 0) {
			throw new IllegalArgumentException("'maxJobs' must not be negative but was " + maxJobs);
		}
		if (batchSize < 1) {
			throw new IllegalArgumentException("'batchSize' must be at least 1 but was " + batchSize);
		}
	}

	/**
	 * The policy the properties describe.
	 * @param properties the properties
	 * @return the policy
	 */
	public static RetentionPolicy of(ExecraRetentionProperties properties) {
		Duration maxAge = properties.getMaxAge();
		Duration failedMaxAge = (properties.getFailedMaxAge() != null) ? properties.getFailedMaxAge() : maxAge;
		Duration filesMaxAge = (properties.getOutputFilesMaxAge() != null) ? properties.getOutputFilesMaxAge()
				: maxAge;
		String keepTag = properties.getKeepTag().isEmpty() ? null : properties.getKeepTag();
		return new RetentionPolicy(maxAge, failedMaxAge, properties.getMaxJobs(), keepTag, filesMaxAge,
				properties.getBatchSize());
	}

	/**
	 * Whether any rule is on.
	 * @return {@code false} when every duration and the count are zero
	 */
	public boolean deletesAnything() {
		return !this.maxAge.isZero() || !this.failedMaxAge.isZero() || this.maxJobs > 0
				|| !this.outputFilesMaxAge.isZero();
	}

	/**
	 * Whether any rule deletes jobs (and not only raw-output files).
	 * @return {@code true} if a sweep has jobs to prune
	 */
	public boolean deletesJobs() {
		return !this.maxAge.isZero() || !this.failedMaxAge.isZero() || this.maxJobs > 0;
	}

	/**
	 * The store criteria at a given time.
	 * @param now the time of the sweep
	 * @return the criteria
	 */
	public PruneCriteria criteria(Instant now) {
		return new PruneCriteria(cutoff(now, this.maxAge), cutoff(now, this.failedMaxAge), this.maxJobs,
				this.keepTag);
	}

	/**
	 * The time before which raw-output files count as old, or {@code null} when files are not deleted by age.
	 * @param now the time of the sweep
	 * @return the cutoff
	 */
	public @Nullable Instant outputFilesCutoff(Instant now) {
		return cutoff(now, this.outputFilesMaxAge);
	}

	private static @Nullable Instant cutoff(Instant now, Duration age) {
		if (age.isZero()) {
			return null;
		}
		// an age reaching before 1970 keeps every job; now.minus would throw past Instant.MIN
		return (age.compareTo(Duration.between(Instant.EPOCH, now)) >= 0) ? Instant.EPOCH : now.minus(age);
	}

	private static void requireNotNegative(Duration duration, String name) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("'" + name + "' must not be negative but was " + duration);
		}
	}

}
