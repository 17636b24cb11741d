package io.execra.autoconfigure.metrics;

import java.util.Set;

import io.execra.autoconfigure.ExecraRuntimeCustomizer;
import io.execra.autoconfigure.support.ExecraRuntimes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of execra's Micrometer meters ({@link ExecraMetrics}): an {@link ExecraMetricsListener} added
 * to every runtime with its name, the queue gauges, and the retention counters. The job timers derive from the job's
 * observation ({@link ExecraObservationAutoConfiguration}); {@code execra.metrics.percentile-histogram} applies to
 * them through a {@link MeterFilter}, since an observation handler creates them.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "execra.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ExecraMetricsProperties.class)
public final class ExecraMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "execraMetricsRuntimeCustomizer")
	ExecraRuntimeCustomizer execraMetricsRuntimeCustomizer(MeterRegistry registry) {
		return (runtimeName, builder) -> builder.listener(new ExecraMetricsListener(registry, runtimeName));
	}

	@Bean
	@ConditionalOnBooleanProperty("execra.metrics.percentile-histogram")
	MeterFilter execraPercentileHistogramMeterFilter() {
		return new PercentileHistogramMeterFilter(
				Set.of(ExecraMetrics.JOB.getName(), ExecraMetrics.JOB_QUEUE_WAIT.getName()));
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
