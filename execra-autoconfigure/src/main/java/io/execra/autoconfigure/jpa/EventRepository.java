package io.execra.autoconfigure.jpa;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.NoRepositoryBean;
import org.springframework.data.repository.query.Param;

/**
 * Spring Data repository of {@link EventEntity}.
 */
@NoRepositoryBean
interface EventRepository extends JpaRepository<EventEntity, EventKey> {

	@Query("select e from ExecraEvent e where e.id.jobId = :jobId and e.id.seq > :afterSeq order by e.id.seq")
	List<EventEntity> findAfter(@Param("jobId") UUID jobId, @Param("afterSeq") long afterSeq, Pageable page);

	@Query("select max(e.id.seq) from ExecraEvent e where e.id.jobId = :jobId")
	@Nullable Long findMaxSeq(@Param("jobId") UUID jobId);

	@Modifying
	@Query("delete from ExecraEvent e where e.id.jobId in :jobIds")
	int deleteByJobIds(@Param("jobIds") Collection<UUID> jobIds);

}
