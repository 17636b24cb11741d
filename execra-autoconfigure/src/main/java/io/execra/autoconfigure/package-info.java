/**
 * Spring Boot auto-configuration for execra: {@code execra.*} properties, runtime beans, command presets, the
 * application event bridge and graceful shutdown.
 */
@NullMarked
package io.execra.autoconfigure;

import org.jspecify.annotations.NullMarked;
