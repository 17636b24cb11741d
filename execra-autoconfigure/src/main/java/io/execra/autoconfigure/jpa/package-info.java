/**
 * JPA persistence of execra's job history: entities, Spring Data repositories, the {@code JobStore} on top of them,
 * the SQL schema per database and its initializer.
 */
@NullMarked
package io.execra.autoconfigure.jpa;

import org.jspecify.annotations.NullMarked;
