package io.execra.autoconfigure.metrics;

import io.execra.autoconfigure.ExecraRuntimeCustomizer;
import io.execra.autoconfigure.support.ExecraRuntimes;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of execra's Micrometer meters ({@link ExecraMetrics}): an {@link ExecraMetricsListener} added
 * to every runtime with its name, the load gauges, and the retention counters.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@EnableConfigurationProperties(ExecraMetricsProperties.class)
public final class ExecraMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "execraMetricsRuntimeCustomizer")
	ExecraRuntimeCustomizer execraMetricsRuntimeCustomizer(MeterRegistry registry, ExecraMetricsProperties properties) {
		return (runtimeName, builder) -> builder
			.listener(new ExecraMetricsListener(registry, runtimeName, properties.isPercentileHistogram()));
	}

	@Bean
	@ConditionalOnMissingBean
	ExecraRuntimeMeterBinder execraRuntimeMeterBinder(ListableBeanFactory beanFactory) {
		return new ExecraRuntimeMeterBinder(new ExecraRuntimes(beanFactory)::byName);
	}

	@Bean
	@ConditionalOnMissingBean
	ExecraRetentionMetrics execraRetentionMetrics(MeterRegistry registry) {
		return new ExecraRetentionMetrics(registry);
	}

}
