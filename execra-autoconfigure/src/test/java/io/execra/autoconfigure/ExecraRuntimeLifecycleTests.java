package io.execra.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.execra.Command;
import io.execra.Event;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.JobRejectedException;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.store.InMemoryJobStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ExecraRuntimeLifecycle}: closing the context lets running jobs finish within the shutdown
 * phase, cancels the rest, and leaves no job running in the store.
 */
class ExecraRuntimeLifecycleTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ExecraAutoConfiguration.class))
		.withUserConfiguration(StoreAndListenerConfiguration.class);

	@Test
	void runningJobFinishesWhenItEndsWithinTheShutdownPhase() {
		this.contextRunner.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=20s").run((context) -> {
			ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
			JobHandle handle = runtime.spawn(Command.of("sleep", "1"));
			context.close();
			assertThat(handle.outcome()).isCompletedWithValueMatching(Outcome.Succeeded.class::isInstance);
		});
	}

	@Test
	void jobStillRunningAfterTheShutdownPhaseIsCancelledAndFinalizedInTheStore() {
		this.contextRunner
			.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=2s", "execra.cancel-grace-period=0",
					"execra.drain-grace-period=0")
			.run((context) -> {
				ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
				InMemoryJobStore store = context.getBean(InMemoryJobStore.class);
				StoreAndListenerConfiguration listener = context.getBean(StoreAndListenerConfiguration.class);
				JobHandle handle = runtime.spawn(Command.of("sleep", "60"));
				long started = System.nanoTime();
				context.close();
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
				assertThat(handle.outcome()).isCompletedWithValueMatching(Outcome.Cancelled.class::isInstance);
				assertThat(store.find(handle.id())).hasValueSatisfying(
						(job) -> assertThat(job.state()).isEqualTo(JobState.FINALIZED));
				// the event bridge stops after the runtime: the last event was still published
				assertThat(listener.finalized).anySatisfy((finalized) -> {
					assertThat(finalized.jobId()).isEqualTo(handle.id());
					assertThat(finalized.outcome()).isInstanceOf(Outcome.Cancelled.class);
				});
			});
	}

	@Test
	void namedRuntimesAreShutDownToo() {
		this.contextRunner
			.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=2s", "execra.cancel-grace-period=0",
					"execra.drain-grace-period=0", "execra.runtimes.media.max-concurrent=1")
			.run((context) -> {
				ExecraRuntime media = context.getBean("mediaExecraRuntime", ExecraRuntime.class);
				JobHandle handle = media.spawn(Command.of("sleep", "60"));
				context.close();
				assertThat(handle.outcome()).isCompletedWithValueMatching(Outcome.Cancelled.class::isInstance);
			});
	}

	@Test
	void runtimeRejectsJobsOnceStopped() {
		this.contextRunner.run((context) -> {
			ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
			context.getBean(ExecraRuntimeLifecycle.class).stop();
			assertThatExceptionOfType(JobRejectedException.class)
				.isThrownBy(() -> runtime.spawn(Command.of("echo", "late")))
				.withMessageContaining("shutting down");
		});
	}

	@Test
	void jobsMayRunForThePhaseTimeoutLessWhatCancellingNeeds() {
		this.contextRunner
			.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=30s", "execra.cancel-grace-period=5s",
					"execra.drain-grace-period=2s", "execra.store.write-timeout=1s")
			.run((context) -> {
				ExecraRuntimeLifecycle lifecycle = context.getBean(ExecraRuntimeLifecycle.class);
				ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
				assertThat(lifecycle.drainTimeout(runtime.settings())).isEqualTo(Duration.ofSeconds(30 - (5 + 2 + 2 * 1 + 1)));
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class StoreAndListenerConfiguration {

		final List<Event.Finalized> finalized = new CopyOnWriteArrayList<>();

		@Bean
		InMemoryJobStore jobStore() {
			return new InMemoryJobStore();
		}

		@EventListener
		void on(Event.Finalized event) {
			this.finalized.add(event);
		}

	}

}
