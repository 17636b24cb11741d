package io.execra.autoconfigure.health;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.execra.Command;
import io.execra.Event;
import io.execra.ExecraRuntime;
import io.execra.Job;
import io.execra.Outcome;
import io.execra.store.InMemoryJobStore;
import io.execra.store.StoreException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ExecraHealthIndicator} with a real runtime.
 */
class ExecraHealthIndicatorTests {

	@Test
	void storeDetailsShowTheWritersBacklogAndLastFailureUntilTheStoreIsBack() throws Exception {
		OutageStore store = new OutageStore();
		try (ExecraRuntime runtime = ExecraRuntime.builder()
			.store(store)
			.storeWriteTimeout(Duration.ofMillis(200))
			.build()) {
			ExecraHealthIndicator indicator = new ExecraHealthIndicator(() -> Map.of("default", runtime), () -> null,
					Clock.systemUTC());
			assertThat(storeDetails(indicator.health())).containsEntry("backlog", 0)
				.doesNotContainKey("lastWriteFailure");

			store.down = true;
			assertThat(runtime.spawn(Command.of("true")).await()).isInstanceOf(Outcome.Succeeded.class);
			await().atMost(Duration.ofSeconds(15))
				.until(() -> storeDetails(indicator.health()).containsKey("lastWriteFailure"));
			// the write in progress keeps failing; this job's history queues up behind it
			assertThat(runtime.spawn(Command.of("true")).await()).isInstanceOf(Outcome.Succeeded.class);
			Health down = indicator.health();
			assertThat(down.getStatus()).isEqualTo(Status.DOWN);
			assertThat((int) storeDetails(down).get("backlog")).isPositive();
			assertThat(storeDetails(down)).containsEntry("lastWriteFailure",
					StoreException.class.getName() + ": database down");

			store.down = false;
			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
				Health up = indicator.health();
				assertThat(up.getStatus()).isEqualTo(Status.UP);
				assertThat(storeDetails(up)).containsEntry("backlog", 0).doesNotContainKey("lastWriteFailure");
			});
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> storeDetails(Health health) {
		Map<String, Object> runtimes = (Map<String, Object>) health.getDetails().get("runtimes");
		return (Map<String, Object>) ((Map<String, Object>) runtimes.get("default")).get("store");
	}

	/** The in-memory store, which can be made unreachable as a database that went down. */
	private static final class OutageStore extends InMemoryJobStore {

		volatile boolean down;

		/** It stands for a database, which can be down: written from the writer thread. */
		@Override
		public boolean writesInMemory() {
			return false;
		}

		private void check() {
			if (this.down) {
				throw new StoreException("database down");
			}
		}

		@Override
		public void upsert(List<Job> snapshots) {
			check();
			super.upsert(snapshots);
		}

		@Override
		public void append(List<Event> events) {
			check();
			super.append(events);
		}

		@Override
		public void ping() {
			check();
		}

	}

}
