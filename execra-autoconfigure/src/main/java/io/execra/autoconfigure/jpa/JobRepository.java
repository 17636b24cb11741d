package io.execra.autoconfigure.jpa;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.NoRepositoryBean;
import org.springframework.data.repository.query.Param;

/**
 * Spring Data repository of {@link JobEntity}.
 */
@NoRepositoryBean
interface JobRepository extends JpaRepository<JobEntity, UUID> {

	/** The tags of these jobs, as rows of job id and tag. */
	@Query("select j.id, t from ExecraJob j join j.tags t where j.id in :ids")
	List<Object[]> findTags(@Param("ids") Collection<UUID> ids);

	List<JobEntity> findByNodeAndStateIn(String node, Collection<String> states);

	@Query("""
			select j from ExecraJob j
			where j.node <> :node and j.state in :states
			and (not exists (select n from ExecraNode n where n.id = j.node)
				or exists (select n from ExecraNode n where n.id = j.node and n.heartbeatAt < :silentBefore))
			""")
	List<JobEntity> findActiveOfSilentNodes(@Param("node") String node, @Param("states") Collection<String> states,
			@Param("silentBefore") long silentBefore);

	/**
	 * Finalizes a job unless it is already finalized, so concurrent recoveries finalize it once.
	 * @return 1 if this call finalized it
	 */
	@Modifying
	@Query("""
			update ExecraJob j set j.state = 'FINALIZED', j.phase = null, j.finishedAt = :finishedAt,
				j.outcomeKind = :outcomeKind, j.outcome = :outcome
			where j.id = :id and j.state <> 'FINALIZED'
			""")
	int finalizeIfActive(@Param("id") UUID id, @Param("finishedAt") long finishedAt,
			@Param("outcomeKind") String outcomeKind, @Param("outcome") String outcome);

}
