package io.execra.autoconfigure.health;

import java.time.Clock;

import io.execra.autoconfigure.ExecraAutoConfiguration;
import io.execra.autoconfigure.retention.ExecraRetentionAutoConfiguration;
import io.execra.autoconfigure.retention.ExecraRetentionCleaner;
import io.execra.autoconfigure.support.ExecraRuntimes;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link ExecraHealthIndicator} ({@code execra} in {@code /actuator/health}), switched off
 * by {@code management.health.execra.enabled=false}.
 */
@AutoConfiguration(after = { ExecraAutoConfiguration.class, ExecraRetentionAutoConfiguration.class },
		before = HealthContributorAutoConfiguration.class)
@ConditionalOnClass(Health.class)
@ConditionalOnEnabledHealthIndicator("execra")
@ConditionalOnBooleanProperty(name = "execra.enabled", matchIfMissing = true)
public final class ExecraHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "execraHealthIndicator")
	ExecraHealthIndicator execraHealthIndicator(ListableBeanFactory beanFactory,
			ObjectProvider<ExecraRetentionCleaner> retention) {
		return new ExecraHealthIndicator(new ExecraRuntimes(beanFactory)::byName, retention::getIfAvailable,
				Clock.systemUTC());
	}

}
