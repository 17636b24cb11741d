package io.execra.autoconfigure.jpa;

import java.util.Collection;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.NoRepositoryBean;
import org.springframework.data.repository.query.Param;

/**
 * Spring Data repository of {@link FindingEntity}.
 */
@NoRepositoryBean
interface FindingRepository extends JpaRepository<FindingEntity, EventKey> {

	@Modifying
	@Query("delete from ExecraFinding f where f.id.jobId in :jobIds")
	int deleteByJobIds(@Param("jobIds") Collection<UUID> jobIds);

}
