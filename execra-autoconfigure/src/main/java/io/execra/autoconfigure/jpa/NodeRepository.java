package io.execra.autoconfigure.jpa;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Spring Data repository of {@link NodeEntity}.
 */
interface NodeRepository extends JpaRepository<NodeEntity, String> {

}
