package io.execra.autoconfigure.jpa;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.repository.NoRepositoryBean;

/**
 * Spring Data repository of {@link NodeEntity}.
 */
@NoRepositoryBean
interface NodeRepository extends JpaRepository<NodeEntity, String> {

}
