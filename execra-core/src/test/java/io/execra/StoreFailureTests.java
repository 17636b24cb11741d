package io.execra;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.execra.store.InMemoryJobStore;
import io.execra.store.StoreException;
import io.execra.support.SeverableStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store is written off the process path: an unreachable store delays history, never jobs; a record the store
 * refuses is dropped alone.
 */
class StoreFailureTests {

	/** A store that refuses the rows of jobs labelled "poison", and can be made unreachable. */
	private static final class FlakyStore extends SeverableStoreBase {

		private final AtomicBoolean down = new AtomicBoolean();

		FlakyStore(InMemoryJobStore delegate) {
			super(delegate);
		}

		@Override
		protected void check(List<Job> jobs) {
			if (this.down.get()) {
				throw new StoreException("database down");
			}
			for (Job job : jobs) {
				if ("poison".equals(job.label())) {
					throw new StoreException("value too long for column LABEL");
				}
			}
		}

		@Override
		public void ping() {
			if (this.down.get()) {
				throw new StoreException("database down");
			}
		}

		@Override
		public boolean supportsPing() {
			return true;
		}

	}

	@Test
	void aRecordTheStoreRefusesIsDroppedAloneAndHistoryGoesOn() throws Exception {
		InMemoryJobStore memory = new InMemoryJobStore();
		try (ExecraRuntime runtime = ExecraRuntime.builder().store(new FlakyStore(memory)).build()) {
			JobHandle poison = runtime.spawn(Command.of("true").label("poison"));
			JobHandle fine = runtime.spawn(Command.of("true").label("fine"));
			assertThat(poison.await()).isInstanceOf(Outcome.Succeeded.class);
			assertThat(fine.await()).isInstanceOf(Outcome.Succeeded.class);
			assertThat(runtime.jobs().list()).extracting(Job::label).containsExactly("fine");
			assertThat(memory.find(fine.id())).get().extracting(Job::state).isEqualTo(JobState.FINALIZED);
			JobHandle later = runtime.spawn(Command.of("true").label("later"));
			later.await();
			assertThat(runtime.jobs().list()).extracting(Job::label).containsExactly("later", "fine");
		}
	}

	@Test
	void jobsFinishWhileTheStoreIsDownAndTheirHistoryIsWrittenWhenItReturns() throws Exception {
		InMemoryJobStore memory = new InMemoryJobStore();
		FlakyStore store = new FlakyStore(memory);
		try (ExecraRuntime runtime = ExecraRuntime.builder()
			.store(store)
			.storeWriteTimeout(Duration.ofMillis(200))
			.build()) {
			store.down.set(true);
			JobHandle job = runtime.spawn(Command.of("echo", "during the outage"));
			assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
			assertThat(memory.find(job.id())).isEmpty();
			store.down.set(false);
			await().atMost(Duration.ofSeconds(15))
				.untilAsserted(() -> assertThat(memory.find(job.id())).get()
					.extracting(Job::state)
					.isEqualTo(JobState.FINALIZED));
			assertThat(memory.events(job.id(), 0, 100)).extracting(Event::kind)
				.containsExactly("job_created", "job_started", "exited", "finalized");
		}
	}

	@Test
	void statsShowTheBacklogAndTheFailureWhileTheStoreIsDownAndClearThemWhenItIsBack() throws Exception {
		InMemoryJobStore memory = new InMemoryJobStore();
		FlakyStore store = new FlakyStore(memory);
		try (ExecraRuntime runtime = ExecraRuntime.builder()
			.store(store)
			.storeWriteTimeout(Duration.ofMillis(200))
			.build()) {
			assertThat(runtime.stats().storeBacklog()).isZero();
			assertThat(runtime.stats().storeFailure()).isNull();
			store.down.set(true);
			assertThat(runtime.spawn(Command.of("true")).await()).isInstanceOf(Outcome.Succeeded.class);
			await().atMost(Duration.ofSeconds(15))
				.untilAsserted(() -> assertThat(runtime.stats().storeFailure()).isInstanceOf(StoreException.class)
					.hasMessage("database down"));
			// the write in progress keeps failing; what comes after it queues up
			JobHandle during = runtime.spawn(Command.of("echo", "during the outage"));
			assertThat(during.await()).isInstanceOf(Outcome.Succeeded.class);
			RuntimeStats down = runtime.stats();
			assertThat(down.storeBacklog()).as("snapshots and events queued while the store is down").isPositive();
			assertThat(down.storeFailure()).isInstanceOf(StoreException.class);

			store.down.set(false);
			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
				RuntimeStats up = runtime.stats();
				assertThat(up.storeBacklog()).isZero();
				assertThat(up.storeFailure()).isNull();
				assertThat(memory.find(during.id())).get().extracting(Job::state).isEqualTo(JobState.FINALIZED);
			});
		}
	}

	@Test
	void aStoreThatTakesNothingIsTreatedAsDownEvenIfItsPingAnswers() throws Exception {
		InMemoryJobStore memory = new InMemoryJobStore();
		AtomicBoolean down = new AtomicBoolean(true);
		// no ping(): only the writes tell that this store is down
		SeverableStoreBase store = new SeverableStoreBase(memory) {
			@Override
			protected void check(List<Job> jobs) {
				if (down.get()) {
					throw new StoreException("connection refused");
				}
			}
		};
		try (ExecraRuntime runtime = ExecraRuntime.builder().store(store).storeWriteTimeout(Duration.ofMillis(200)).build()) {
			JobHandle job = runtime.spawn(Command.of("true"));
			assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
			Thread.sleep(1500);
			down.set(false);
			await().atMost(Duration.ofSeconds(15))
				.untilAsserted(() -> assertThat(memory.events(job.id(), 0, 100)).extracting(Event::kind)
					.containsExactly("job_created", "job_started", "exited", "finalized"));
		}
	}

	/** Delegates to an in-memory store, checking each write first. */
	private abstract static class SeverableStoreBase extends SeverableStore {

		SeverableStoreBase(InMemoryJobStore delegate) {
			super(delegate);
		}

		protected abstract void check(List<Job> jobs);

		@Override
		public void upsert(List<Job> jobs) {
			check(jobs);
			super.upsert(jobs);
		}

		@Override
		public void append(List<Event> events) {
			check(List.of());
			super.append(events);
		}

	}

}
