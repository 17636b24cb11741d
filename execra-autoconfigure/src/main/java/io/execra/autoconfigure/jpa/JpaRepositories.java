package io.execra.autoconfigure.jpa;

/**
 * The Spring Data repositories the {@link JpaJobStore} works with.
 *
 * @param jobs jobs and their tags
 * @param events events
 * @param findings findings
 * @param nodes node heartbeats
 */
record JpaRepositories(JobRepository jobs, EventRepository events, FindingRepository findings, NodeRepository nodes) {

}
