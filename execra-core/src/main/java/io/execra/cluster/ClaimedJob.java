package io.execra.cluster;

import io.execra.Job;

/**
 * A queued job this node claimed: it now owns it under its lease and must start it.
 *
 * @param job the job's snapshot as stored when it was claimed (state {@code QUEUED}, node set to the claimer)
 * @param recipe how to build its command
 * @param attempt 1 for the first run, 2 for the one re-run of a restartable job whose node died
 */
public record ClaimedJob(Job job, JobRecipe recipe, int attempt) {
}
