package io.execra.store;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Which finalized jobs a retention sweep deletes. A job carrying the keep tag is never deleted; active jobs are
 * never deleted.
 *
 * @param finishedBefore delete succeeded and cancelled jobs finished before this instant ({@code null}: none by
 * age)
 * @param failedFinishedBefore delete failed jobs finished before this instant ({@code null}: none by age)
 * @param maxJobs keep at most this many finalized jobs, deleting the oldest first ({@code 0}: no limit)
 * @param keepTag jobs with this tag are kept ({@code null}: none is pinned)
 */
public record PruneCriteria(@Nullable Instant finishedBefore, @Nullable Instant failedFinishedBefore, long maxJobs,
		@Nullable String keepTag) {

	public PruneCriteria {
		if (maxJobs < 0) {
			throw new IllegalArgumentException("'maxJobs' must not be negative but was " + maxJobs);
		}
	}

}
