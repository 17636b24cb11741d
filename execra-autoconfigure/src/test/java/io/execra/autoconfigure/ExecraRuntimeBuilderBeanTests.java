package io.execra.autoconfigure;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.execra.Command;
import io.execra.Event;
import io.execra.ExecraListener;
import io.execra.ExecraRuntime;
import io.execra.ExecraRuntimeBuilder;
import io.execra.ExecraSettings;
import io.execra.Job;
import io.execra.JobRejectedException;
import io.execra.Outcome;
import io.execra.autoconfigure.metrics.ExecraMetricsAutoConfiguration;
import io.execra.autoconfigure.metrics.ExecraObservationAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.Mockito;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the prototype {@link ExecraRuntimeBuilder} bean, from which an application builds its own runtime bean
 * with everything the auto-configured runtime gets, and for the warning about a runtime bean built without it.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExecraRuntimeBuilderBeanTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ExecraAutoConfiguration.class));

	@Test
	void aRuntimeBuiltFromTheBuilderBeanRejectsShellCommandsAndProgramsOutsideTheAllowList(@TempDir Path directory) {
		Path written = directory.resolve("pwned");
		this.contextRunner.withUserConfiguration(RuntimeFromTheBuilderBean.class)
			.withPropertyValues("execra.security.allowed-programs=echo", "execra.security.allow-shell=false")
			.run((context) -> {
				ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
				assertThatExceptionOfType(JobRejectedException.class)
					.isThrownBy(() -> runtime.spawn(Command.shell("echo owned > " + written)))
					.withMessageContaining("allow-shell is false");
				assertThatExceptionOfType(JobRejectedException.class)
					.isThrownBy(() -> runtime.spawn(Command.of("touch", written.toString())))
					.withMessageContaining("not in the allowed programs [echo]");
				assertThat(written).doesNotExist();
				assertThat(runtime.recent(10)).isEmpty();
				assertThat(runtime.spawn(Command.of("echo", "allowed")).await()).isInstanceOf(Outcome.Succeeded.class);
			});
	}

	@Test
	void aRuntimeBuiltFromTheBuilderBeanHasThePresets() {
		this.contextRunner.withUserConfiguration(RuntimeFromTheBuilderBean.class)
			.withPropertyValues("execra.commands.greet.program=echo", "execra.commands.greet.args[0]=hello {name}")
			.run((context) -> {
				ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
				assertThat(runtime.settings().presets()).containsOnlyKeys("greet");
				assertThat(runtime.spawn("greet", Map.of("name", "world")).await())
					.isInstanceOf(Outcome.Succeeded.class);
			});
	}

	@Test
	void aRuntimeBuiltFromTheBuilderBeanMovesTheMeters() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, ObservationAutoConfiguration.class,
					ExecraAutoConfiguration.class, ExecraMetricsAutoConfiguration.class,
					ExecraObservationAutoConfiguration.class))
			.withUserConfiguration(RuntimeFromTheBuilderBean.class, MeterRegistryConfiguration.class)
			.run((context) -> {
				context.getBean(ExecraRuntime.class).spawn(Command.of("echo", "metered")).await();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("execra.job").tags("runtime", "default", "outcome", "succeeded").timer().count())
					.isEqualTo(1);
				assertThat(registry.get("execra.output.lines").tags("stream", "stdout").counter().count())
					.isEqualTo(1);
			});
	}

	@Test
	void aRuntimeBuiltFromTheBuilderBeanGetsTheListenerBeans() {
		this.contextRunner.withUserConfiguration(RuntimeFromTheBuilderBean.class, ListenerConfiguration.class)
			.run((context) -> {
				context.getBean(ExecraRuntime.class).spawn(Command.of("true")).await();
				assertThat(context.getBean(ListenerConfiguration.class).finalized.await(10, TimeUnit.SECONDS)).isTrue();
			});
	}

	@Test
	void aRuntimeBuiltFromTheBuilderBeanPublishesItsEventsAsApplicationEvents() {
		this.contextRunner.withUserConfiguration(RuntimeFromTheBuilderBean.class, FinalizedEventListener.class)
			.run((context) -> {
				context.getBean(ExecraRuntime.class).spawn(Command.of("true")).await();
				assertThat(context.getBean(FinalizedEventListener.class).finalized.await(10, TimeUnit.SECONDS))
					.isTrue();
			});
	}

	@Test
	void theBuilderBeanIsConfiguredAsTheDefaultRuntime() {
		this.contextRunner
			.withPropertyValues("execra.max-concurrent=3", "execra.queue-capacity=7",
					"execra.security.allowed-programs=git", "execra.commands.status.program=git")
			.run((context) -> {
				ExecraSettings runtime = context.getBean(ExecraRuntime.class).settings();
				ExecraSettings builder = context.getBean(ExecraRuntimeBuilder.class).settings();
				assertThat(builder).usingRecursiveComparison()
					.ignoringFields("nodeId", "clock", "store", "listeners", "presets")
					.isEqualTo(runtime);
				assertThat(builder.presets()).containsOnlyKeys("status");
				assertThat(builder.store()).hasSameClassAs(runtime.store());
				assertThat(builder.listeners()).map(Object::getClass)
					.containsExactlyElementsOf(runtime.listeners().stream().map(Object::getClass).toList());
			});
	}

	@Test
	void theBuilderBeanIsAFreshBuilderForEveryInjection() {
		this.contextRunner.run((context) -> assertThat(context.getBean(ExecraRuntimeBuilder.class))
			.isNotSameAs(context.getBean(ExecraRuntimeBuilder.class)));
	}

	@Test
	void aRuntimeBeanBuiltWithoutTheBuilderBeanIsLoggedAsBypassingTheSecurityPolicy(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(RuntimeFromThePlainBuilder.class)
			.withPropertyValues("execra.security.allowed-programs=git")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("WARN")
					.contains("ExecraRuntime bean 'plainRuntime' bypasses the security policy of execra.security.*")
					.contains("allowed-programs is [git] but the runtime's is any program")
					.contains("allow-shell is false but the runtime's is true")
					.contains("Build it from the ExecraRuntimeBuilder bean");
			});
	}

	@Test
	void aRuntimeBeanBuiltFromTheBuilderBeanIsNotLoggedAsBypassingTheSecurityPolicy(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(RuntimeFromTheBuilderBean.class)
			.withPropertyValues("execra.security.allowed-programs=git")
			.run((context) -> {
				assertThat(context).hasSingleBean(ExecraRuntime.class);
				assertThat(output).doesNotContain("bypasses the security policy");
			});
	}

	@Test
	void aMockedRuntimeBeanIsNotChecked() {
		this.contextRunner.withUserConfiguration(MockedRuntime.class)
			.withPropertyValues("execra.security.allowed-programs=git")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(ExecraRuntime.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class FinalizedEventListener {

		final CountDownLatch finalized = new CountDownLatch(1);

		@EventListener
		void on(Event.Finalized event) {
			this.finalized.countDown();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MockedRuntime {

		@Bean
		ExecraRuntime mockedRuntime() {
			return Mockito.mock(ExecraRuntime.class);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RuntimeFromTheBuilderBean {

		@Bean
		ExecraRuntime execraRuntime(ExecraRuntimeBuilder builder) {
			return builder.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RuntimeFromThePlainBuilder {

		@Bean
		ExecraRuntime plainRuntime() {
			return ExecraRuntime.builder().build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MeterRegistryConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerConfiguration {

		final CountDownLatch finalized = new CountDownLatch(1);

		@Bean
		ExecraListener finalizedJobs() {
			return new ExecraListener() {
				@Override
				public void jobFinalized(Job job, java.time.Duration duration) {
					ListenerConfiguration.this.finalized.countDown();
				}
			};
		}

	}

}
