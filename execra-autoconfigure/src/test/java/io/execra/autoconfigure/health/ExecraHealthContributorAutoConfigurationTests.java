package io.execra.autoconfigure.health;

import io.execra.autoconfigure.ExecraAutoConfiguration;
import io.execra.autoconfigure.retention.ExecraRetentionAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecraHealthContributorAutoConfiguration}.
 */
class ExecraHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ExecraAutoConfiguration.class, ExecraRetentionAutoConfiguration.class,
				ExecraHealthContributorAutoConfiguration.class));

	@Test
	void registersTheIndicatorReportingEveryRuntime() {
		this.contextRunner.withPropertyValues("execra.runtimes.media.max-concurrent=1").run((context) -> {
			assertThat(context).hasSingleBean(ExecraHealthIndicator.class).hasBean("execraHealthIndicator");
			Health health = context.getBean(ExecraHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsOnlyKeys("runtimes", "retention");
			assertThat((java.util.Map<String, Object>) health.getDetails().get("runtimes")).containsOnlyKeys("default", "media");
		});
	}

	@Test
	void backsOffWhenTheApplicationDefinesExecraHealthIndicator() {
		this.contextRunner.withUserConfiguration(CustomIndicator.class).run((context) -> {
			assertThat(context).doesNotHaveBean(ExecraHealthIndicator.class);
			assertThat(context.getBean("execraHealthIndicator")).isSameAs(CustomIndicator.INDICATOR);
		});
	}

	@Test
	void isOffWhenManagementHealthExecraEnabledIsFalse() {
		this.contextRunner.withPropertyValues("management.health.execra.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ExecraHealthIndicator.class));
	}

	@Test
	void isOffWithoutSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Health.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("execraHealthIndicator"));
	}

	@Test
	void reportsRetentionAsDisabledWhenRetentionIsOff() {
		this.contextRunner.withPropertyValues("execra.retention.enabled=false").run((context) -> {
			Health health = context.getBean(ExecraHealthIndicator.class).health();
			assertThat((java.util.Map<String, Object>) health.getDetails().get("retention")).containsEntry("enabled", false);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomIndicator {

		static final HealthIndicator INDICATOR = () -> Health.up().build();

		@Bean
		HealthIndicator execraHealthIndicator() {
			return INDICATOR;
		}

	}

}
