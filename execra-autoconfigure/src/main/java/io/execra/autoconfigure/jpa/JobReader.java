package io.execra.autoconfigure.jpa;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import io.execra.Job;

/**
 * Reads stored jobs with their tags, in the caller's transaction. Tags are read by a query, never by loading the
 * lazy collection: Hibernate batch-loads the collections of several jobs on PostgreSQL with {@code = any(?)},
 * binding the {@code CHAR(36)} ids as a {@code "char"[]} array, which keeps one character of each id, so jobs read
 * together came back without their tags.
 */
final class JobReader {

	private final JobRepository jobs;

	private final JobMapper mapper;

	JobReader(JobRepository jobs, JobMapper mapper) {
		this.jobs = jobs;
		this.mapper = mapper;
	}

	/**
	 * The jobs of those rows, in their order, with their tags read by one query per {@value JobRows#IDS_PER_QUERY} rows.
	 * @param rows job rows
	 * @return the jobs
	 */
	List<Job> toJobs(List<JobEntity> rows) {
		Map<UUID, Set<String>> tags = new HashMap<>();
		inChunks(rows.stream().map(JobEntity::getId).toList(), (ids) -> {
			for (Object[] row : this.jobs.findTags(ids)) {
				tags.computeIfAbsent((UUID) row[0], (id) -> new HashSet<>()).add((String) row[1]);
			}
		});
		return rows.stream().map((row) -> this.mapper.toJob(row, tags.getOrDefault(row.getId(), Set.of()))).toList();
	}

	private static void inChunks(List<UUID> ids, Consumer<List<UUID>> action) {
		for (int from = 0; from < ids.size(); from += JobRows.IDS_PER_QUERY) {
			action.accept(ids.subList(from, Math.min(ids.size(), from + JobRows.IDS_PER_QUERY)));
		}
	}

}
