package io.execra.store;

import io.execra.Finding;
import io.execra.JobId;

/**
 * A finding with the job and event it came from.
 *
 * @param jobId the job
 * @param seq the seq of its {@code finding_emitted} event
 * @param finding the finding
 */
public record StoredFinding(JobId jobId, long seq, Finding finding) {
}
