package io.execra.sample.web;

import java.util.List;

import io.execra.Event;
import io.execra.Job;

/**
 * A job with its recorded events (without output lines, which {@code /output} serves).
 *
 * @param job the snapshot
 * @param events events after the seq asked for, in order
 * @param live whether this application instance runs the job (so it can be cancelled or answered)
 */
public record JobDetails(Job job, List<Event> events, boolean live) {

}
