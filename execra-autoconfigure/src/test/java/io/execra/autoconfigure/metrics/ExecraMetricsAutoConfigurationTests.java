package io.execra.autoconfigure.metrics;

import java.time.Duration;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.autoconfigure.ExecraAutoConfiguration;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecraMetricsAutoConfiguration} and {@link ExecraObservationAutoConfiguration} on real jobs.
 */
class ExecraMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, ExecraAutoConfiguration.class,
				ExecraMetricsAutoConfiguration.class, ExecraObservationAutoConfiguration.class))
		.withPropertyValues("execra.security.allow-shell=true");

	@Test
	void countsJobsOfEveryRuntimeTaggedWithTheRuntimeOutcomeAndReason() {
		this.contextRunner.withUserConfiguration(Registries.class)
			.withPropertyValues("execra.runtimes.media.max-concurrent=1")
			.run((context) -> {
				ExecraRuntime media = context.getBean("mediaExecraRuntime", ExecraRuntime.class);
				ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
				runtime.spawn(Command.shell("echo out; echo err >&2")).await();
				media.spawn(Command.shell("exit 3")).await();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("execra.jobs.finished")
					.tags("runtime", "default", "outcome", "succeeded", "reason", "none")
					.counter()
					.count()).isEqualTo(1);
				assertThat(registry.get("execra.jobs.finished")
					.tags("runtime", "media", "outcome", "failed", "reason", "non_zero_exit")
					.counter()
					.count()).isEqualTo(1);
				assertThat(registry.get("execra.job.duration").tags("runtime", "media").timer().count()).isEqualTo(1);
				assertThat(registry.get("execra.jobs.started").tag("runtime", "default").counter().count()).isEqualTo(1);
				assertThat(registry.get("execra.output.lines").tags("runtime", "default", "stream", "stderr")
					.counter()
					.count()).isEqualTo(1);
				assertThat(registry.get("execra.output.bytes").tags("runtime", "default", "stream", "stdout")
					.counter()
					.count()).isEqualTo(3);
				assertThat(registry.get("execra.jobs.queued").tag("runtime", "media").gauge().value()).isZero();
				assertThat(registry.get("execra.jobs.running").tag("runtime", "default").gauge().value()).isZero();
				assertThat(registry.getMeters()).allSatisfy((meter) -> assertThat(meter.getId().getTags())
					.allSatisfy((tag) -> assertThat(tag.getKey()).isIn("runtime", "outcome", "reason", "stream",
							"severity", "signal", "result", "kind")));
			});
	}

	@Test
	void countsKillsAndActiveJobsOfACancelledJob() {
		this.contextRunner.withUserConfiguration(Registries.class).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			JobHandle handle = context.getBean(ExecraRuntime.class).spawn(Command.of("sleep", "300"));
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> registry.get("execra.jobs.active").longTaskTimer().activeTasks() == 1);
			handle.cancel();
			handle.await();
			assertThat(registry.get("execra.jobs.active").longTaskTimer().activeTasks()).isZero();
			assertThat(registry.get("execra.process.kills").tag("signal", "TERM").counter().count()).isEqualTo(1);
			assertThat(registry.get("execra.jobs.finished").tag("outcome", "cancelled").counter().count())
				.isEqualTo(1);
		});
	}

	@Test
	void observesEachJobFromStartToFinalization() {
		this.contextRunner.withUserConfiguration(Registries.class).run((context) -> {
			context.getBean(ExecraRuntime.class).spawn(Command.shell("exit 2")).await();
			TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
				.hasObservationWithNameEqualTo("execra.job")
				.that()
				.hasBeenStarted()
				.hasBeenStopped()
				.hasError()
				.hasLowCardinalityKeyValue("execra.runtime", "default")
				.hasLowCardinalityKeyValue("execra.outcome", "failed")
				.hasLowCardinalityKeyValue("execra.reason", "non_zero_exit");
		});
	}

	@Test
	void publishesAPercentileHistogramWhenAsked() {
		this.contextRunner.withUserConfiguration(Registries.class)
			.withPropertyValues("execra.metrics.percentile-histogram=true")
			.run((context) -> {
				java.util.Map<String, Boolean> histograms = new java.util.concurrent.ConcurrentHashMap<>();
				context.getBean(MeterRegistry.class).config().meterFilter(new MeterFilter() {
					@Override
					public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
						histograms.put(id.getName(), Boolean.TRUE.equals(config.isPercentileHistogram()));
						return config;
					}
				});
				context.getBean(ExecraRuntime.class).spawn(Command.of("true")).await();
				assertThat(histograms).containsEntry("execra.job.duration", true);
			});
	}

	@Test
	void isOffWithoutAMeterRegistry() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ExecraRuntimeMeterBinder.class)
			.doesNotHaveBean("execraMetricsRuntimeCustomizer")
			.doesNotHaveBean("execraObservationRuntimeCustomizer"));
	}

	@Test
	void isOffWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, ObservationRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("execraMetricsRuntimeCustomizer")
				.doesNotHaveBean("execraObservationRuntimeCustomizer"));
	}

	@Test
	void backsOffWhenTheApplicationDefinesTheCustomizer() {
		this.contextRunner.withUserConfiguration(Registries.class, CustomCustomizer.class)
			.run((context) -> assertThat(context.getBean("execraMetricsRuntimeCustomizer"))
				.isSameAs(CustomCustomizer.CUSTOMIZER));
	}

	@Configuration(proxyBeanMethods = false)
	static class Registries {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomCustomizer {

		static final io.execra.autoconfigure.ExecraRuntimeCustomizer CUSTOMIZER = (name, builder) -> {
		};

		@Bean
		io.execra.autoconfigure.ExecraRuntimeCustomizer execraMetricsRuntimeCustomizer() {
			return CUSTOMIZER;
		}

	}

}
