package io.execra.internal.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.ExecraSettings;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.internal.delivery.EventFanOut;
import io.execra.internal.delivery.Listeners;
import io.execra.internal.process.ProcessLauncher;
import io.execra.internal.process.ProcessSignaller;
import io.execra.internal.store.StoreWriter;
import io.execra.store.InMemoryJobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jobs a runtime holds in memory: active jobs always, finalized ones within the bound, and lookups over them.
 * The drivers here never start a process: a queued job that is cancelled is finalized at once.
 */
class JobRegistryTests {

	/** A clock one second further on each reading, so every job is created after the previous one. */
	private final Clock clock = new Clock() {

		private final AtomicLong seconds = new AtomicLong();

		@Override
		public Instant instant() {
			return Instant.EPOCH.plusSeconds(this.seconds.incrementAndGet());
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	};

	private final ExecraSettings settings = ExecraRuntime.builder().clock(this.clock).settings();

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final Listeners listeners = new Listeners(List.of());

	private final StoreWriter storeWriter = new StoreWriter(new InMemoryJobStore(), 1000, Thread::new,
			this.listeners);

	private final ProcessSignaller signaller = new ProcessSignaller(false, Thread::new);

	private final JobServices services = new JobServices(this.settings, Runnable::run, () -> this.scheduler,
			new ProcessLauncher(), this.signaller, this.storeWriter, this.listeners,
			new EventFanOut(10, 10_000, this.clock, Thread::new, this.listeners));

	/** A queued job's driver, as if the admission queued it: a cancel dequeues and finalizes it. */
	private final JobCallbacks queued = new JobCallbacks() {

		@Override
		public boolean dequeue(JobDriver driver) {
			return true;
		}

		@Override
		public void released(JobDriver driver) {
		}

		@Override
		public void finalized(JobDriver driver) {
		}

	};

	@AfterEach
	void stop() {
		this.storeWriter.stop(Duration.ofSeconds(5));
		this.signaller.stop();
		this.scheduler.shutdownNow();
	}

	private JobDriver created() {
		Command command = Command.of("true");
		JobDriver driver = new JobDriver(this.services, this.queued, JobId.generate(this.clock), this.clock.instant(),
				0, command, command.spec(), Map.of(), null);
		driver.created();
		return driver;
	}

	private static JobDriver finalize(JobDriver driver) throws Exception {
		assertThat(driver.cancel()).isTrue();
		assertThat(driver.outcome().get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Cancelled.class);
		assertThat(driver.isActive()).isFalse();
		return driver;
	}

	@Test
	void finalizedJobsPastTheBoundAreEvictedOldestFirstWhileActiveJobsStay() throws Exception {
		JobRegistry registry = new JobRegistry(2);
		List<JobDriver> active = List.of(created(), created(), created());
		active.forEach(registry::add);
		List<JobDriver> finalized = List.of(created(), created(), created());
		for (JobDriver driver : finalized) {
			registry.add(driver);
			finalize(driver);
			registry.finalized(driver);
		}
		for (JobDriver driver : active) {
			assertThat(registry.get(driver.id())).isSameAs(driver);
		}
		assertThat(registry.get(finalized.get(0).id())).isNull();
		assertThat(registry.get(finalized.get(1).id())).isSameAs(finalized.get(1));
		assertThat(registry.get(finalized.get(2).id())).isSameAs(finalized.get(2));
		assertThat(registry.all()).hasSize(5);
		assertThat(registry.active()).containsExactlyInAnyOrderElementsOf(active);
	}

	@Test
	void forgetDropsFinalizedJobsOnlyAndFreesTheirPlaceInTheBound() throws Exception {
		JobRegistry registry = new JobRegistry(2);
		JobDriver active = created();
		registry.add(active);
		JobDriver first = created();
		JobDriver second = created();
		for (JobDriver driver : List.of(first, second)) {
			registry.add(driver);
			finalize(driver);
			registry.finalized(driver);
		}
		registry.forget(List.of(active.id(), first.id(), JobId.generate(this.clock)));
		assertThat(registry.get(active.id())).as("an active job is never forgotten").isSameAs(active);
		assertThat(registry.get(first.id())).isNull();
		JobDriver third = created();
		registry.add(third);
		finalize(third);
		registry.finalized(third);
		assertThat(registry.get(second.id())).as("the forgotten job no longer counts against the bound")
			.isSameAs(second);
		assertThat(registry.get(third.id())).isSameAs(third);
	}

	@Test
	void recentListsTheNewestJobsFirstAndRunningTheActiveOnesOldestFirst() throws Exception {
		JobRegistry registry = new JobRegistry(10);
		JobDriver oldest = created();
		JobDriver done = created();
		JobDriver newest = created();
		List.of(oldest, done, newest).forEach(registry::add);
		finalize(done);
		registry.finalized(done);
		assertThat(registry.recent(2)).extracting((job) -> job.id()).containsExactly(newest.id(), done.id());
		assertThat(registry.recent(-1)).isEmpty();
		assertThat(registry.running()).containsExactly(oldest.id(), newest.id());
		assertThat(newest.state()).isEqualTo(JobState.QUEUED);
	}

}
