package io.execra.autoconfigure.retention;

import java.time.Clock;

import io.execra.autoconfigure.ExecraAutoConfiguration;
import io.execra.autoconfigure.support.ExecraRuntimes;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the retention of job history: an {@link ExecraRetentionCleaner} for the stores and output
 * directories of every execra runtime, swept periodically by an {@link ExecraRetentionScheduler} on a thread of its
 * own. Switched off by {@code execra.retention.enabled=false}.
 *
 * @see ExecraRetentionProperties
 */
@AutoConfiguration(after = ExecraAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "execra.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "execra.retention.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ExecraRetentionProperties.class)
public final class ExecraRetentionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ExecraRetentionCleaner execraRetentionCleaner(ExecraRetentionProperties properties,
			ListableBeanFactory beanFactory, ObjectProvider<ExecraRetentionListener> listeners) {
		return new ExecraRetentionCleaner(RetentionPolicy.of(properties), new ExecraRuntimes(beanFactory)::byName,
				Clock.systemUTC(), listeners.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	ExecraRetentionScheduler execraRetentionScheduler(ExecraRetentionCleaner cleaner,
			ExecraRetentionProperties properties) {
		return new ExecraRetentionScheduler(cleaner, properties.getInterval(), Clock.systemUTC());
	}

}
