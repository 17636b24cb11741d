package io.execra.internal.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.execra.Event;
import io.execra.Job;
import org.junit.jupiter.api.Test;

import static io.execra.store.JobStoreFixtures.at;
import static io.execra.store.JobStoreFixtures.history;
import static io.execra.store.JobStoreFixtures.newId;
import static io.execra.store.JobStoreFixtures.queued;
import static org.assertj.core.api.Assertions.assertThat;

class RefusedRecordIsolationTests {

	private final RecordingListener listener = new RecordingListener();

	private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1));

	private RefusedRecordIsolation isolation(FaultyStore store) {
		return new RefusedRecordIsolation(store, this.listener, 3, Duration.ofSeconds(10), this.now::get);
	}

	@Test
	void theRestOfABatchIsWrittenAndTheRecordsTheStoreRefusesAreDropped() {
		FaultyStore store = new FaultyStore(false);
		Job poison = queued(newId(), "node-a", at(0), null);
		Job fine = queued(newId(), "node-a", at(0), null);
		store.refuse(poison.id());
		List<Event> events = new ArrayList<>(history(poison.id()));
		events.addAll(history(fine.id()));
		assertThat(isolation(store).refused(List.of(poison, fine), events).isolate()).isTrue();
		assertThat(store.find(fine.id())).contains(fine);
		assertThat(store.events(fine.id(), 0, 100)).containsExactlyElementsOf(history(fine.id()));
		assertThat(store.find(poison.id())).isEmpty();
		assertThat(store.events(poison.id(), 0, 100)).isEmpty();
		assertThat(this.listener.eventsDropped).hasValue(history(poison.id()).size());
	}

	@Test
	void aStoreThatSupportsPingAndAnswersHasALoneRefusedRecordDroppedAtOnce() {
		FaultyStore store = new FaultyStore(true);
		Job poison = queued(newId(), "node-a", at(0), null);
		store.refuse(poison.id());
		assertThat(isolation(store).refused(List.of(poison), List.of()).isolate()).isTrue();
		assertThat(store.find(poison.id())).isEmpty();
	}

	@Test
	void aStoreWithoutPingThatTakesNothingIsRetriedUntilItKeptRefusingForAWhile() {
		FaultyStore store = new FaultyStore(false);
		Job poison = queued(newId(), "node-a", at(0), null);
		store.refuse(poison.id());
		RefusedRecordIsolation.RefusedBatch batch = isolation(store).refused(List.of(poison), List.of());
		assertThat(batch.isolate()).isFalse();
		this.now.addAndGet(TimeUnit.SECONDS.toNanos(10));
		assertThat(batch.isolate()).isFalse();
		assertThat(batch.isolate()).isTrue();
	}

	@Test
	void aStoreWithoutPingThatKeptRefusingBrieflyIsStillRetried() {
		FaultyStore store = new FaultyStore(false);
		store.refuseEverything(true);
		Job job = queued(newId(), "node-a", at(0), null);
		RefusedRecordIsolation.RefusedBatch batch = isolation(store).refused(List.of(job), List.of());
		for (int i = 0; i < 5; i++) {
			this.now.addAndGet(TimeUnit.SECONDS.toNanos(1));
			assertThat(batch.isolate()).isFalse();
		}
	}

	@Test
	void aStoreThatIsDownIsNotTakenForOneRefusingRecords() {
		FaultyStore store = new FaultyStore(true);
		store.down(true);
		Job job = queued(newId(), "node-a", at(0), null);
		RefusedRecordIsolation.RefusedBatch batch = isolation(store).refused(List.of(job), history(job.id()));
		this.now.addAndGet(TimeUnit.MINUTES.toNanos(1));
		for (int i = 0; i < 5; i++) {
			assertThat(batch.isolate()).isFalse();
		}
		assertThat(this.listener.eventsDropped).hasValue(0);
		store.down(false);
		assertThat(batch.isolate()).isTrue();
		assertThat(store.find(job.id())).contains(job);
	}

}
