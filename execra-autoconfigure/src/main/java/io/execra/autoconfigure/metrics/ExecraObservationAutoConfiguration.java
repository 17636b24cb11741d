package io.execra.autoconfigure.metrics;

import io.execra.autoconfigure.ExecraRuntimeCustomizer;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of an {@link io.micrometer.observation.Observation} per execra job
 * ({@link ExecraObservationDocumentation#JOB}), so a tracer shows a span per job: an
 * {@link ExecraObservationListener} added to every runtime with its name.
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "execra.enabled", matchIfMissing = true)
public final class ExecraObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "execraObservationRuntimeCustomizer")
	ExecraRuntimeCustomizer execraObservationRuntimeCustomizer(ObservationRegistry registry,
			ObjectProvider<ExecraJobObservationConvention> convention) {
		return (runtimeName, builder) -> builder
			.listener(new ExecraObservationListener(registry, runtimeName, convention.getIfAvailable()));
	}

}
