package io.execra.autoconfigure;

import java.time.Duration;

import io.execra.ExecraListener;
import io.execra.ExecraRuntime;
import io.execra.ExecraRuntimeBuilder;
import io.execra.cluster.ClusterStore;
import io.execra.store.JobStore;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for execra: the default {@link ExecraRuntime}, one qualified
 * runtime per {@code execra.runtimes.<name>}, command presets from {@code execra.commands}, publication of execra
 * events as application events, and graceful shutdown. A {@link JobStore} bean, if any, keeps the job history; with
 * {@code execra.cluster.enabled=true} the default runtime is a node of a cluster on the {@link ClusterStore} bean;
 * every {@link ExecraListener} bean is registered; {@link ExecraRuntimeCustomizer} beans apply last.
 * <p>
 * An application that defines its own runtime bean builds it from the prototype {@link ExecraRuntimeBuilder} bean,
 * which the {@link ExecraRuntimeBuilderConfigurer} configured exactly as the default runtime; a runtime bean whose
 * security policy differs from {@code execra.security.*} is logged as a warning. {@code execra.enabled=false}
 * switches every execra auto-configuration off.
 *
 * @see ExecraProperties
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "execra.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ExecraProperties.class)
@Import(ExecraNamedRuntimesRegistrar.class)
public final class ExecraAutoConfiguration {

	static final String RUNTIME_FACTORY_BEAN_NAME = "execraRuntimeFactory";

	private static final Duration DEFAULT_SHUTDOWN_PHASE_TIMEOUT = Duration.ofSeconds(30);

	@Bean
	ExecraRuntimeBuilderConfigurer execraRuntimeBuilderConfigurer(ExecraProperties properties, Environment environment,
			ApplicationContext context, ObjectProvider<JobStore> store, ObjectProvider<ClusterStore> clusterStore,
			ObjectProvider<ExecraListener> listeners, ObjectProvider<ExecraRuntimeCustomizer> customizers) {
		return new ExecraRuntimeBuilderConfigurer(properties, environment,
				new ExecraInterpreters(properties.getInterpreters()), store, clusterStore,
				() -> ExecraClusterNodeId.of(context, Binder.get(environment)), listeners, customizers);
	}

	@Bean(RUNTIME_FACTORY_BEAN_NAME)
	ExecraRuntimeFactory execraRuntimeFactory(ExecraRuntimeBuilderConfigurer execraRuntimeBuilderConfigurer,
			ObjectProvider<ExecraEventBridge> eventBridge) {
		return new ExecraRuntimeFactory(execraRuntimeBuilderConfigurer, eventBridge);
	}

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	@ConditionalOnMissingBean
	ExecraRuntimeBuilder execraRuntimeBuilder(ExecraRuntimeBuilderConfigurer execraRuntimeBuilderConfigurer) {
		return execraRuntimeBuilderConfigurer.configure(ExecraRuntime.builder());
	}

	@Bean
	@ConditionalOnMissingBean
	ExecraRuntime execraRuntime(ExecraRuntimeFactory execraRuntimeFactory) {
		return execraRuntimeFactory.create(ExecraProperties.DEFAULT_RUNTIME_NAME);
	}

	@Bean
	ExecraRuntimePolicyCheck execraRuntimePolicyCheck(ListableBeanFactory beanFactory,
			ExecraRuntimeFactory execraRuntimeFactory, ExecraRuntimeBuilderConfigurer execraRuntimeBuilderConfigurer) {
		return new ExecraRuntimePolicyCheck(beanFactory, execraRuntimeFactory, execraRuntimeBuilderConfigurer);
	}

	@Bean
	ExecraRuntimeLifecycle execraRuntimeLifecycle(ListableBeanFactory beanFactory, Environment environment) {
		Duration phaseTimeout = Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(DEFAULT_SHUTDOWN_PHASE_TIMEOUT);
		return new ExecraRuntimeLifecycle(beanFactory, phaseTimeout);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "execra.events.publish", matchIfMissing = true)
	static class EventPublicationConfiguration {

		@Bean
		ExecraEventBridge execraEventBridge(ApplicationEventPublisher publisher, ListableBeanFactory beanFactory,
				ExecraProperties properties) {
			return new ExecraEventBridge(publisher, beanFactory, properties.getEvents().isIncludeOutput());
		}

	}

}
