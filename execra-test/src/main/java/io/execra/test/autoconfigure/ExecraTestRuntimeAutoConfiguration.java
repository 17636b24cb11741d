package io.execra.test.autoconfigure;

import io.execra.ExecraRuntime;
import io.execra.autoconfigure.ExecraAutoConfiguration;
import io.execra.test.ExecraTestRuntime;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Puts an {@link ExecraTestRuntime} in place of every {@link ExecraRuntime} bean as it is initialized. The
 * replacement takes the presets, security policy, listeners and node id of the runtime it replaces, which is
 * closed before it ever starts a job. Imported by {@link AutoConfigureExecraTestRuntime}.
 */
@AutoConfiguration(after = ExecraAutoConfiguration.class)
public final class ExecraTestRuntimeAutoConfiguration {

	@Bean
	static BeanPostProcessor execraTestRuntimePostProcessor() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof ExecraRuntime runtime && !(bean instanceof ExecraTestRuntime)) {
					ExecraTestRuntime replacement = ExecraTestRuntime.of(runtime.settings());
					runtime.close();
					return replacement;
				}
				return bean;
			}

		};
	}

	@Bean
	ExecraTestRuntimes execraTestRuntimes(ListableBeanFactory beanFactory) {
		return new ExecraTestRuntimes(beanFactory);
	}

}
