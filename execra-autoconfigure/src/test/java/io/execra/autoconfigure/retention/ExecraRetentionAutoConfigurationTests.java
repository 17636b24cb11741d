package io.execra.autoconfigure.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.autoconfigure.ExecraAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecraRetentionAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExecraRetentionAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ExecraAutoConfiguration.class, ExecraRetentionAutoConfiguration.class));

	@Test
	void defaultPolicyKeepsAWeekPinsPinnedAndSweepsHourly(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ExecraRetentionCleaner.class)
				.hasSingleBean(ExecraRetentionScheduler.class);
			RetentionPolicy policy = context.getBean(ExecraRetentionCleaner.class).policy();
			assertThat(policy).isEqualTo(new RetentionPolicy(Duration.ofDays(7), Duration.ofDays(7), 0, "pinned",
					Duration.ofDays(7), 500));
			assertThat(context.getBean(ExecraRetentionScheduler.class).isRunning()).isTrue();
			assertThat(output).contains("execra retention sweeps every PT1H");
		});
	}

	@Test
	void mapsEveryProperty() {
		this.contextRunner
			.withPropertyValues("execra.retention.max-age=2", "execra.retention.failed-max-age=30d",
					"execra.retention.max-jobs=1000", "execra.retention.keep-tag=keep",
					"execra.retention.output-files-max-age=12h", "execra.retention.batch-size=50")
			.run((context) -> assertThat(context.getBean(ExecraRetentionCleaner.class).policy()).isEqualTo(
					new RetentionPolicy(Duration.ofDays(2), Duration.ofDays(30), 1000, "keep", Duration.ofHours(12),
							50)));
	}

	@Test
	void schedulesNothingWhenEveryRuleIsZero(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("execra.retention.max-age=0", "execra.retention.output-files-max-age=0")
			.run((context) -> {
				assertThat(context.getBean(ExecraRetentionScheduler.class).isRunning()).isFalse();
				assertThat(context.getBean(ExecraRetentionScheduler.class).nextSweep()).isNull();
				assertThat(output).contains("execra retention is off");
			});
	}

	@Test
	void isOffWhenRetentionIsDisabled() {
		this.contextRunner.withPropertyValues("execra.retention.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ExecraRetentionCleaner.class)
				.doesNotHaveBean(ExecraRetentionScheduler.class));
	}

	@Test
	void backsOffWhenTheApplicationDefinesACleaner() {
		this.contextRunner.withUserConfiguration(CustomCleaner.class)
			.run((context) -> assertThat(context.getBean(ExecraRetentionCleaner.class))
				.isSameAs(context.getBean("customCleaner")));
	}

	@Test
	void sweepsOnAThreadOfItsOwn() {
		this.contextRunner.withUserConfiguration(SweepThreadRecorder.class)
			.withPropertyValues("execra.retention.interval=50ms")
			.run((context) -> {
				ExecraRetentionCleaner cleaner = context.getBean(ExecraRetentionCleaner.class);
				org.awaitility.Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.until(() -> cleaner.lastSweep() != null);
				assertThat(cleaner.lastSweep().isSuccess()).isTrue();
				Thread sweeper = context.getBean(SweepThreadRecorder.class).thread.get();
				assertThat(sweeper.getName()).isEqualTo("execra-retention");
				assertThat(sweeper.isDaemon()).isTrue();
			});
	}

	@Test
	void itsThreadEndsWhenTheContextCloses() throws InterruptedException {
		AtomicReference<Thread> sweeper = new AtomicReference<>();
		this.contextRunner.withUserConfiguration(SweepThreadRecorder.class)
			.withPropertyValues("execra.retention.interval=50ms")
			.run((context) -> {
				AtomicReference<Thread> recorded = context.getBean(SweepThreadRecorder.class).thread;
				org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> recorded.get() != null);
				sweeper.set(recorded.get());
				assertThat(sweeper.get().isAlive()).isTrue();
			});
		sweeper.get().join(10_000);
		assertThat(sweeper.get().isAlive()).as("%s after the context closed", sweeper.get().getName()).isFalse();
	}

	@Test
	void agesAndIntervalsTooLongForAnInstantSweepOnceKeepingEveryJob(CapturedOutput output) {
		String longest = "9223372036854775807s";
		this.contextRunner
			.withPropertyValues("execra.retention.max-age=" + longest, "execra.retention.interval=" + longest,
					"execra.retention.output-files-max-age=" + longest)
			.run((context) -> {
				ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
				JobHandle job = runtime.spawn(Command.of("true"));
				job.await();
				ExecraRetentionCleaner cleaner = context.getBean(ExecraRetentionCleaner.class);
				org.awaitility.Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.until(() -> cleaner.lastSweep() != null);
				assertThat(cleaner.lastSweep().isSuccess()).isTrue();
				assertThat(cleaner.lastSweep().jobsDeleted()).isZero();
				assertThat(context.getBean(ExecraRetentionScheduler.class).nextSweep()).isEqualTo(Instant.MAX);
				assertThat(runtime.job(job.id())).isPresent();
				assertThat(output).doesNotContain("retention tick failed");
			});
	}

	/** Records the thread a sweep runs on, from a retention listener (called on that thread). */
	@Configuration(proxyBeanMethods = false)
	static class SweepThreadRecorder {

		final AtomicReference<Thread> thread = new AtomicReference<>();

		@Bean
		ExecraRetentionListener sweepThreadListener() {
			return new ExecraRetentionListener() {
				@Override
				public void sweepFinished(RetentionSweepResult result) {
					SweepThreadRecorder.this.thread.set(Thread.currentThread());
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomCleaner {

		@Bean
		ExecraRetentionCleaner customCleaner() {
			return new ExecraRetentionCleaner(new RetentionPolicy(Duration.ofDays(1), Duration.ofDays(1), 0, null,
					Duration.ZERO, 10), java.util.Map::of, java.time.Clock.systemUTC(), java.util.List.of());
		}

	}

}
