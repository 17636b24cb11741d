package io.execra.autoconfigure.jpa;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.execra.JobId;
import io.execra.store.PruneCriteria;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import org.jspecify.annotations.Nullable;

/**
 * Deletes one bounded batch of finalized jobs that {@link PruneCriteria} select: too old (failed jobs by their own
 * cutoff), or beyond the most recent {@code maxJobs}, oldest finished first; never a job carrying the keep tag. The
 * findings and events go first, then the jobs with their tags. Runs inside the caller's (short) transaction.
 */
final class JobPruner {

	private static final String FINISHED = "coalesce(j.finishedAt, j.createdAt)";

	private final EntityManager entityManager;

	private final JpaRepositories repositories;

	JobPruner(EntityManager entityManager, JpaRepositories repositories) {
		this.entityManager = entityManager;
		this.repositories = repositories;
	}

	List<JobId> prune(PruneCriteria criteria, int batchSize) {
		Map<UUID, Long> doomed = new LinkedHashMap<>();
		List<String> age = new ArrayList<>();
		if (criteria.finishedBefore() != null) {
			age.add("(j.outcomeKind <> 'failed' and " + FINISHED + " < :finishedBefore)");
		}
		if (criteria.failedFinishedBefore() != null) {
			age.add("(j.outcomeKind = 'failed' and " + FINISHED + " < :failedFinishedBefore)");
		}
		if (!age.isEmpty()) {
			TypedQuery<Object[]> query = candidates(criteria, "(" + String.join(" or ", age) + ")");
			if (criteria.finishedBefore() != null) {
				query.setParameter("finishedBefore", criteria.finishedBefore().toEpochMilli());
			}
			if (criteria.failedFinishedBefore() != null) {
				query.setParameter("failedFinishedBefore", criteria.failedFinishedBefore().toEpochMilli());
			}
			collect(query.setMaxResults(batchSize).getResultList(), doomed);
		}
		if (criteria.maxJobs() > 0) {
			long excess = countFinalized(criteria) - criteria.maxJobs();
			if (excess > 0) {
				collect(candidates(criteria, null).setMaxResults((int) Math.min(excess, batchSize)).getResultList(),
						doomed);
			}
		}
		List<UUID> ids = doomed.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
			.limit(batchSize)
			.map(Map.Entry::getKey)
			.toList();
		if (!ids.isEmpty()) {
			delete(ids);
		}
		return ids.stream().map(JobId::new).toList();
	}

	private TypedQuery<Object[]> candidates(PruneCriteria criteria, @Nullable String condition) {
		String jpql = "select j.id, " + FINISHED + " from ExecraJob j where " + finalizedAndNotKept(criteria)
				+ ((condition != null) ? " and " + condition : "") + " order by " + FINISHED + ", j.id";
		TypedQuery<Object[]> query = this.entityManager.createQuery(jpql, Object[].class);
		if (criteria.keepTag() != null) {
			query.setParameter("keepTag", criteria.keepTag());
		}
		return query;
	}

	private long countFinalized(PruneCriteria criteria) {
		TypedQuery<Long> query = this.entityManager
			.createQuery("select count(j) from ExecraJob j where " + finalizedAndNotKept(criteria), Long.class);
		if (criteria.keepTag() != null) {
			query.setParameter("keepTag", criteria.keepTag());
		}
		return query.getSingleResult();
	}

	private static String finalizedAndNotKept(PruneCriteria criteria) {
		return "j.state = 'FINALIZED'" + ((criteria.keepTag() != null) ? " and :keepTag not member of j.tags" : "");
	}

	private static void collect(List<Object[]> rows, Map<UUID, Long> into) {
		for (Object[] row : rows) {
			into.putIfAbsent((UUID) row[0], ((Number) row[1]).longValue());
		}
	}

	private void delete(List<UUID> ids) {
		this.repositories.findings().deleteByJobIds(ids);
		this.repositories.events().deleteByJobIds(ids);
		// removing the entities (not a bulk delete) also deletes their rows of the tag collection table
		this.repositories.jobs().findAllById(ids).forEach(this.entityManager::remove);
		this.entityManager.flush();
	}

}
