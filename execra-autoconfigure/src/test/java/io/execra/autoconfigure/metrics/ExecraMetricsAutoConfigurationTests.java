package io.execra.autoconfigure.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.autoconfigure.ExecraAutoConfiguration;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecraMetricsAutoConfiguration} and {@link ExecraObservationAutoConfiguration} on real jobs.
 */
class ExecraMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, ObservationAutoConfiguration.class,
				ExecraAutoConfiguration.class, ExecraMetricsAutoConfiguration.class,
				ExecraObservationAutoConfiguration.class))
		.withPropertyValues("execra.security.allow-shell=true");

	@Test
	void timesJobsOfEveryRuntimeTaggedWithTheRuntimeOutcomeAndReason() {
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class)
			.withPropertyValues("execra.runtimes.media.max-concurrent=1")
			.run((context) -> {
				ExecraRuntime media = context.getBean("mediaExecraRuntime", ExecraRuntime.class);
				ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
				runtime.spawn(Command.shell("echo out; echo err >&2")).await();
				media.spawn(Command.shell("exit 3")).await();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("execra.job")
					.tags("runtime", "default", "outcome", "succeeded", "reason", "none")
					.timer()
					.count()).isEqualTo(1);
				assertThat(registry.get("execra.job")
					.tags("runtime", "media", "outcome", "failed", "reason", "non_zero_exit")
					.timer()
					.count()).isEqualTo(1);
				assertThat(registry.get("execra.job.queue.wait").tag("runtime", "default").timer().count())
					.isEqualTo(1);
				assertThat(registry.get("execra.output.lines").tags("runtime", "default", "stream", "stderr")
					.counter()
					.count()).isEqualTo(1);
				assertThat(registry.get("execra.output.bytes").tags("runtime", "default", "stream", "stdout")
					.counter()
					.count()).isEqualTo(3);
				assertThat(registry.get("execra.job.queued").tag("runtime", "media").gauge().value()).isZero();
			});
	}

	@Test
	void everyTagOfEveryMeterIsOneOfTheDocumentedKeys() {
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class).run((context) -> {
			context.getBean(ExecraRuntime.class).spawn(Command.shell("exit 1")).await();
			List<String> keys = Arrays.stream(ExecraMetrics.Tags.values()).map(ExecraMetrics.Tags::asString).toList();
			assertThat(context.getBean(MeterRegistry.class).getMeters())
				.filteredOn((meter) -> meter.getId().getName().startsWith("execra."))
				.isNotEmpty()
				.allSatisfy((meter) -> assertThat(meter.getId().getTags())
					.allSatisfy((tag) -> assertThat(tag.getKey()).isIn(keys)));
		});
	}

	@Test
	void theActiveTimerOfARunningJobIsTaggedWithItsRuntimeOnly() {
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			JobHandle handle = startSleepingJob(context.getBean(ExecraRuntime.class), registry);
			assertThat(registry.get("execra.job.active").longTaskTimer().getId().getTags())
				.containsExactly(Tag.of("runtime", "default"));
			handle.cancel();
			handle.await();
		});
	}

	@Test
	void countsLowerCaseSignalsAndTheActiveJobsOfACancelledJob() {
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			JobHandle handle = startSleepingJob(context.getBean(ExecraRuntime.class), registry);
			handle.cancel();
			handle.await();
			assertThat(registry.get("execra.job.active").longTaskTimer().activeTasks()).isZero();
			assertThat(registry.get("execra.process.kills").tag("signal", "term").counter().count()).isEqualTo(1);
			assertThat(registry.get("execra.job").tag("outcome", "cancelled").timer().count()).isEqualTo(1);
		});
	}

	@Test
	void observesEachJobFromStartToFinalization() {
		this.contextRunner.withUserConfiguration(TestObservationRegistryConfiguration.class).run((context) -> {
			context.getBean(ExecraRuntime.class).spawn(Command.shell("exit 2")).await();
			TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
				.hasObservationWithNameEqualTo("execra.job")
				.that()
				.hasBeenStarted()
				.hasBeenStopped()
				.hasError()
				.hasLowCardinalityKeyValue("runtime", "default")
				.hasLowCardinalityKeyValue("outcome", "failed")
				.hasLowCardinalityKeyValue("reason", "non_zero_exit");
		});
	}

	@Test
	void publishesAPercentileHistogramWhenAsked() {
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class)
			.withPropertyValues("execra.metrics.percentile-histogram=true")
			.run((context) -> {
				assertThat(histograms(context)).containsEntry("execra.job", true);
				MeterFilter filter = context.getBean("execraPercentileHistogramMeterFilter", MeterFilter.class);
				DistributionStatisticConfig queueWait = filter.configure(new Meter.Id("execra.job.queue.wait",
						Tags.of("runtime", "default"), null, null, Meter.Type.TIMER), DistributionStatisticConfig.NONE);
				assertThat(queueWait.isPercentileHistogram()).isTrue();
			});
	}

	@Test
	void publishesNoPercentileHistogramByDefault() {
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class)
			.run((context) -> {
				assertThat(histograms(context)).containsEntry("execra.job", false);
				assertThat(context).doesNotHaveBean("execraPercentileHistogramMeterFilter");
			});
	}

	/** Starts a job that sleeps until cancelled, and waits until the active timer counts it. */
	private static JobHandle startSleepingJob(ExecraRuntime runtime, MeterRegistry registry) {
		JobHandle handle = runtime.spawn(Command.of("sleep", "300"));
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> registry.find("execra.job.active").longTaskTimer() != null
					&& registry.get("execra.job.active").longTaskTimer().activeTasks() == 1);
		return handle;
	}

	/** Whether each meter registered while a job runs publishes a percentile histogram, by name. */
	private static Map<String, Boolean> histograms(AssertableApplicationContext context) throws InterruptedException {
		Map<String, Boolean> histograms = new ConcurrentHashMap<>();
		context.getBean(MeterRegistry.class).config().meterFilter(new MeterFilter() {
			@Override
			public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
				histograms.put(id.getName(), Boolean.TRUE.equals(config.isPercentileHistogram()));
				return config;
			}
		});
		context.getBean(ExecraRuntime.class).spawn(Command.of("true")).await();
		return histograms;
	}

	@Test
	void isOffWithoutAMeterRegistry() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, ExecraAutoConfiguration.class,
					ExecraMetricsAutoConfiguration.class, ExecraObservationAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ExecraRuntimeMeterBinder.class)
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
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class, CustomCustomizer.class)
			.run((context) -> assertThat(context.getBean("execraMetricsRuntimeCustomizer"))
				.isSameAs(CustomCustomizer.CUSTOMIZER));
	}

	/** A meter registry, to which Boot's observation auto-configuration adds its meter handler. */
	@Configuration(proxyBeanMethods = false)
	static class MeterRegistryConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TestObservationRegistryConfiguration {

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
