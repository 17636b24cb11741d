package io.execra.autoconfigure.jpa;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.execra.Event;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

/**
 * Which of a batch's events are stored already, for every job of the batch in one query (per chunk of jobs): a
 * retried batch must write nothing twice. Each job's range of seqs is looked up on its own, so that a long-running
 * job's history is not read for a new one beside it.
 */
final class StoredSeqs {

	/** Jobs per query: three parameters each, far below any database's limit. */
	static final int CHUNK = 100;

	private final EntityManager entityManager;

	StoredSeqs(EntityManager entityManager) {
		this.entityManager = entityManager;
	}

	/**
	 * @param events the batch's events of jobs that may have stored events, by job
	 * @return the seqs stored of each job, within the range of its events in the batch; jobs with none are absent
	 */
	Map<UUID, Set<Long>> of(Map<UUID, List<Event>> events) {
		Map<UUID, Set<Long>> stored = new HashMap<>();
		List<UUID> jobs = new ArrayList<>(events.keySet());
		for (int from = 0; from < jobs.size(); from += CHUNK) {
			List<UUID> chunk = jobs.subList(from, Math.min(jobs.size(), from + CHUNK));
			StringBuilder jpql = new StringBuilder("select e.id.jobId, e.id.seq from ExecraEvent e where ");
			for (int i = 0; i < chunk.size(); i++) {
				jpql.append((i > 0) ? " or " : "")
					.append("(e.id.jobId = :j").append(i)
					.append(" and e.id.seq between :f").append(i).append(" and :t").append(i).append(")");
			}
			TypedQuery<Object[]> query = this.entityManager.createQuery(jpql.toString(), Object[].class);
			for (int i = 0; i < chunk.size(); i++) {
				List<Event> jobEvents = events.get(chunk.get(i));
				query.setParameter("j" + i, chunk.get(i));
				query.setParameter("f" + i, jobEvents.stream().mapToLong(Event::seq).min().orElseThrow());
				query.setParameter("t" + i, jobEvents.stream().mapToLong(Event::seq).max().orElseThrow());
			}
			for (Object[] row : query.getResultList()) {
				stored.computeIfAbsent((UUID) row[0], (id) -> new HashSet<>()).add((Long) row[1]);
			}
		}
		return stored;
	}

}
