package io.execra.autoconfigure.jpa;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.execra.JobState;
import io.execra.Severity;
import io.execra.store.FindingQuery;
import io.execra.store.JobCriteria;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

/**
 * Builds the JPQL of job and finding queries from their optional criteria. Values are always bound as parameters;
 * a tag is matched with {@code member of}, an exact comparison, never {@code LIKE}.
 */
final class JpqlCriteria {

	private final List<String> conditions = new ArrayList<>();

	private final Map<String, Object> parameters = new LinkedHashMap<>();

	private JpqlCriteria() {
	}

	static JpqlCriteria of(JobCriteria query) {
		JpqlCriteria criteria = new JpqlCriteria();
		if (query.tag() != null) {
			criteria.add(":tag member of j.tags", "tag", query.tag());
		}
		if (!query.states().isEmpty()) {
			criteria.add("j.state in :states", "states", query.states().stream().map(JobState::name).toList());
		}
		if (query.owner() != null) {
			criteria.add("j.owner = :owner", "owner", query.owner());
		}
		if (query.createdAfter() != null) {
			criteria.add("j.createdAt >= :createdAfter", "createdAfter", query.createdAfter().toEpochMilli());
		}
		if (query.createdBefore() != null) {
			criteria.add("j.createdAt <= :createdBefore", "createdBefore", query.createdBefore().toEpochMilli());
		}
		return criteria;
	}

	static JpqlCriteria of(FindingQuery query) {
		JpqlCriteria criteria = new JpqlCriteria();
		if (query.jobId() != null) {
			criteria.add("f.id.jobId = :jobId", "jobId", query.jobId().value());
		}
		if (!query.severities().isEmpty()) {
			criteria.add("f.severity in :severities", "severities",
					query.severities().stream().map(Severity::name).toList());
		}
		if (query.code() != null) {
			criteria.add("f.code = :code", "code", query.code());
		}
		return criteria;
	}

	private void add(String condition, String name, Object value) {
		this.conditions.add(condition);
		this.parameters.put(name, value);
	}

	<T> TypedQuery<T> query(EntityManager entityManager, String select, String orderBy, Class<T> type) {
		String where = this.conditions.isEmpty() ? "" : " where " + String.join(" and ", this.conditions);
		TypedQuery<T> query = entityManager.createQuery(select + where + orderBy, type);
		this.parameters.forEach(query::setParameter);
		return query;
	}

}
