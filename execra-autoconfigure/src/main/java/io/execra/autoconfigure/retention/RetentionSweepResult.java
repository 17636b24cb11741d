package io.execra.autoconfigure.retention;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What a retention sweep did.
 *
 * @param startedAt when it started
 * @param finishedAt when it finished
 * @param jobsDeleted jobs deleted (with their events and findings)
 * @param outputFilesDeleted raw-output files deleted
 * @param failure why it stopped early, or {@code null} if it completed
 */
public record RetentionSweepResult(Instant startedAt, Instant finishedAt, long jobsDeleted, long outputFilesDeleted,
		@Nullable String failure) {

	/**
	 * Whether the sweep completed.
	 * @return {@code true} unless it stopped on a failure
	 */
	public boolean isSuccess() {
		return this.failure == null;
	}

	/**
	 * How long the sweep took.
	 * @return the duration
	 */
	public Duration duration() {
		return Duration.between(this.startedAt, this.finishedAt);
	}

}
