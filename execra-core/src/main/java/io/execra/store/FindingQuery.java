package io.execra.store;

import java.util.Set;

import io.execra.JobId;
import io.execra.Severity;
import org.jspecify.annotations.Nullable;

/**
 * Criteria for listing findings across jobs, newest first.
 *
 * @param jobId findings of this job only
 * @param severities findings of these severities (empty: any)
 * @param code findings with this code
 * @param limit rows to return at most
 */
public record FindingQuery(@Nullable JobId jobId, Set<Severity> severities, @Nullable String code, int limit) {

	public FindingQuery {
		severities = Set.copyOf(severities);
		if (limit <= 0) {
			throw new IllegalArgumentException("'limit' must be positive but was " + limit);
		}
	}

}
