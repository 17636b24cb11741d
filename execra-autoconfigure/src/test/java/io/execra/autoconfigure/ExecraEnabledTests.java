package io.execra.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.execra.autoconfigure.endpoint.ExecraEndpointAutoConfiguration;
import io.execra.autoconfigure.health.ExecraHealthContributorAutoConfiguration;
import io.execra.autoconfigure.jpa.ExecraJpaAutoConfiguration;
import io.execra.autoconfigure.metrics.ExecraMetricsAutoConfiguration;
import io.execra.autoconfigure.metrics.ExecraObservationAutoConfiguration;
import io.execra.autoconfigure.retention.ExecraRetentionAutoConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code execra.enabled}, the switch of every execra auto-configuration.
 */
class ExecraEnabledTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
				MetricsAutoConfiguration.class,
				ExecraAutoConfiguration.class, ExecraJpaAutoConfiguration.class,
				ExecraHealthContributorAutoConfiguration.class, ExecraEndpointAutoConfiguration.class,
				ExecraMetricsAutoConfiguration.class, ExecraObservationAutoConfiguration.class,
				ExecraRetentionAutoConfiguration.class))
		.withUserConfiguration(Registries.class)
		.withPropertyValues("spring.datasource.generate-unique-name=true",
				"management.endpoints.web.exposure.include=execra");

	@Test
	void everyExecraAutoConfigurationContributesItsBeansByDefault() {
		this.contextRunner.run((context) -> assertThat(execraBeans(context)).contains("execraRuntime",
				"execraJobStore", "execraHealthIndicator", "execraEndpoint", "execraMetricsRuntimeCustomizer",
				"execraObservationRuntimeCustomizer", "execraRetentionCleaner"));
	}

	@Test
	void executionDisabledCreatesNoExecraBeanAtAll() {
		this.contextRunner.withPropertyValues("execra.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(execraBeans(context)).isEmpty();
		});
	}

	/** Beans whose name or type names execra, including its auto-configuration classes, but this test's own. */
	private static List<String> execraBeans(AssertableApplicationContext context) {
		return Arrays.stream(context.getBeanDefinitionNames()).filter((name) -> {
			Class<?> type = context.getType(name);
			if (type == Registries.class) {
				return false;
			}
			return name.toLowerCase(Locale.ROOT).contains("execra")
					|| (type != null && type.getName().startsWith("io.execra."));
		}).toList();
	}

	@Configuration(proxyBeanMethods = false)
	static class Registries {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		ObservationRegistry observationRegistry() {
			return ObservationRegistry.create();
		}

	}

}
