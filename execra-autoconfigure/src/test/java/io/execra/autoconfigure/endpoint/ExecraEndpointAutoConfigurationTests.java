package io.execra.autoconfigure.endpoint;

import io.execra.autoconfigure.ExecraAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecraEndpointAutoConfiguration}.
 */
class ExecraEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ExecraAutoConfiguration.class, ExecraEndpointAutoConfiguration.class));

	@Test
	void isNotAvailableUntilExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ExecraEndpoint.class)
			.doesNotHaveBean(ExecraEndpointWebExtension.class));
	}

	@Test
	void isAvailableWhenExposedOverHttp() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=execra")
			.run((context) -> assertThat(context).hasSingleBean(ExecraEndpoint.class));
	}

	@Test
	void exposedOverHttpItHasTheWebExtensionThatAnswersConflicts() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=execra")
			.run((context) -> assertThat(context).hasSingleBean(ExecraEndpointWebExtension.class));
	}

	@Test
	void exposedOnlyOverJmxItHasNoWebExtension() {
		this.contextRunner.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=execra")
			.run((context) -> assertThat(context).hasSingleBean(ExecraEndpoint.class)
				.doesNotHaveBean(ExecraEndpointWebExtension.class));
	}

	@Test // a runner's environment lacks Boot's lenient enum conversion: NONE here, none in an application
	void isNotAvailableWhenItsAccessIsNone() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=execra",
					"management.endpoint.execra.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(ExecraEndpoint.class));
	}

	@Test
	void isOffWithoutActuator() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=execra")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ExecraEndpoint.class));
	}

}
