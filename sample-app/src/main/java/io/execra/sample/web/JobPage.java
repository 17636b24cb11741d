package io.execra.sample.web;

import java.util.List;

import io.execra.Job;

/**
 * A page of jobs, newest first.
 *
 * @param jobs the jobs on this page
 * @param page the page number, from 0
 * @param size the page size
 * @param total how many jobs match in all
 */
public record JobPage(List<Job> jobs, int page, int size, long total) {

}
