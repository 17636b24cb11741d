package io.execra.internal.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.execra.Event;
import io.execra.Job;
import io.execra.JobId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.execra.store.JobStoreFixtures.at;
import static io.execra.store.JobStoreFixtures.exited;
import static io.execra.store.JobStoreFixtures.history;
import static io.execra.store.JobStoreFixtures.newId;
import static io.execra.store.JobStoreFixtures.queued;
import static io.execra.store.JobStoreFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StoreWriterTests {

	private static final Duration LONG = Duration.ofSeconds(30);

	private static final ThreadFactory THREADS = (task) -> {
		Thread thread = new Thread(task, "test-store-writer");
		thread.setDaemon(true);
		return thread;
	};

	private final RecordingListener listener = new RecordingListener();

	private FaultyStore store = new FaultyStore(true);

	private StoreWriter writer = new StoreWriter(this.store, 1000, THREADS, this.listener);

	@AfterEach
	void stopWriter() {
		this.store.open();
		this.store.down(false);
		this.writer.stop(LONG);
	}

	@Test
	void writesWhatWasSubmittedAndAFlushWaitsForIt() {
		Job job = queued(newId(), "node-a", at(0), null);
		this.writer.submit(job, history(job.id()));
		assertThat(this.writer.flush(LONG)).isTrue();
		assertThat(this.store.find(job.id())).contains(job);
		assertThat(this.store.events(job.id(), 0, 100)).containsExactlyElementsOf(history(job.id()));
		assertThat(this.writer.backlog()).isZero();
		assertThat(this.listener.writesSucceeded).hasPositiveValue();
	}

	@Test
	void snapshotsQueuedWhileTheStoreIsBusyAreCoalescedIntoTheLatest() {
		Job job = queued(newId(), "node-a", at(0), null);
		this.store.close();
		this.writer.submit(job, List.of());
		await().atMost(LONG).until(() -> this.store.writes.size() == 1);
		this.writer.submit(running(job, at(1)), List.of());
		this.writer.submit(exited(running(job, at(1))), List.of());
		assertThat(this.writer.backlog()).isEqualTo(1);
		this.store.open();
		assertThat(this.writer.flush(LONG)).isTrue();
		assertThat(this.store.writes).hasSize(2);
		assertThat(this.store.writes.get(1).jobs()).containsExactly(exited(running(job, at(1))));
		assertThat(this.store.find(job.id())).contains(exited(running(job, at(1))));
	}

	@Test
	void pastTheBufferIntermediateEventsAreDroppedButTerminalOnesAreWritten() {
		this.writer = new StoreWriter(this.store, 3, THREADS, this.listener);
		JobId id = newId();
		this.store.close();
		this.writer.submit(queued(id, "node-a", at(0), null), List.of());
		await().atMost(LONG).until(() -> this.store.writes.size() == 1);
		this.writer.submit(null, history(id));
		this.store.open();
		assertThat(this.writer.flush(LONG)).isTrue();
		assertThat(this.store.events(id, 0, 100)).extracting(Event::kind)
			.containsExactly("job_created", "job_started", "phase_entered", "exited", "finalized");
		assertThat(this.listener.eventsDropped).hasValue(history(id).size() - 5);
	}

	@Test
	void afterASlowWriteWorkSubmittedMeanwhileIsWrittenInOneBatch() {
		this.writer = new StoreWriter(this.store, 1000, THREADS, this.listener,
				new GroupCommit(TimeUnit.SECONDS.toNanos(5), GroupCommit.DEFAULT_MIN_LINGER_NANOS));
		JobId id = newId();
		List<Event> history = history(id);
		this.store.writeTime(Duration.ofMillis(500));
		long first = this.writer.submit(null, history.subList(0, 1));
		assertThat(this.writer.durability().awaitDurable(first, LONG)).isTrue();
		this.store.writeTime(Duration.ZERO);
		this.writer.submit(null, history.subList(1, 2));
		long last = this.writer.submit(null, history.subList(2, 3));
		assertThat(this.writer.durability().awaitDurable(last, LONG)).isTrue();
		assertThat(this.store.writes).hasSize(2);
		assertThat(this.store.writes.get(1).events()).containsExactlyElementsOf(history.subList(1, 3));
	}

	@Test
	void aWriterLingeringForMoreWorkWritesAtOnceWhatSomethingWaitsFor() throws Exception {
		this.writer = new StoreWriter(this.store, 1000, THREADS, this.listener,
				new GroupCommit(TimeUnit.MINUTES.toNanos(1), GroupCommit.DEFAULT_MIN_LINGER_NANOS));
		JobId id = newId();
		List<Event> history = history(id);
		// the first write takes long enough for the writer to linger seconds before the next
		this.store.writeTime(Duration.ofSeconds(4));
		long first = this.writer.submit(null, history.subList(0, 1));
		assertThat(this.writer.durability().awaitDurable(first, LONG)).isTrue();
		this.store.writeTime(Duration.ZERO);
		long next = this.writer.submit(null, history.subList(1, 2));
		CountDownLatch durable = new CountDownLatch(1);
		this.writer.durability().whenDurable(next, durable::countDown);
		assertThat(durable.await(2, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void whileTheStoreIsDownTheBatchIsRetriedAndWrittenOnceItIsBack() {
		Job job = queued(newId(), "node-a", at(0), null);
		this.store.down(true);
		long ticket = this.writer.submit(job, history(job.id()));
		await().atMost(LONG).until(() -> this.listener.writesFailed.get() >= 2);
		assertThat(this.writer.lastFailure()).hasMessageContaining("connection refused");
		assertThat(this.writer.durability().awaitDurable(ticket, Duration.ZERO)).isFalse();
		this.store.down(false);
		assertThat(this.writer.durability().awaitDurable(ticket, LONG)).isTrue();
		assertThat(this.store.events(job.id(), 0, 100)).containsExactlyElementsOf(history(job.id()));
		assertThat(this.writer.lastFailure()).isNull();
		assertThat(this.listener.eventsDropped).hasValue(0);
	}

	@Test
	void aStoreWithoutPingThatTakesNothingIsRetriedRatherThanHavingItsRecordsDropped() {
		this.store = new FaultyStore(false);
		this.writer = new StoreWriter(this.store, 1000, THREADS, this.listener);
		Job job = queued(newId(), "node-a", at(0), null);
		this.store.down(true);
		long ticket = this.writer.submit(job, history(job.id()));
		await().atMost(LONG).until(() -> this.listener.writesFailed.get() >= 3);
		this.store.down(false);
		assertThat(this.writer.durability().awaitDurable(ticket, LONG)).isTrue();
		assertThat(this.store.find(job.id())).contains(job);
		assertThat(this.store.events(job.id(), 0, 100)).containsExactlyElementsOf(history(job.id()));
	}

	@Test
	void aRecordTheStoreRefusesIsDroppedAloneAndTheRestOfItsBatchIsWritten() {
		Job poison = queued(newId(), "node-a", at(0), null);
		Job fine = queued(newId(), "node-a", at(0), null);
		this.store.refuse(poison.id());
		this.store.close();
		// the writer is busy with a first job while the poison and the fine one are queued into one batch
		this.writer.submit(queued(newId(), "node-a", at(0), null), List.of());
		await().atMost(LONG).until(() -> this.store.writes.size() == 1);
		this.writer.submit(poison, history(poison.id()));
		this.writer.submit(fine, history(fine.id()));
		this.store.open();
		assertThat(this.writer.flush(LONG)).isTrue();
		assertThat(this.store.find(fine.id())).contains(fine);
		assertThat(this.store.events(fine.id(), 0, 100)).containsExactlyElementsOf(history(fine.id()));
		assertThat(this.store.find(poison.id())).isEmpty();
		assertThat(this.store.writes.get(1).jobs()).containsExactly(poison, fine);
		assertThat(this.listener.eventsDropped).hasValue(history(poison.id()).size());
		assertThat(this.writer.lastFailure()).isNull();
	}

	@Test
	void aTerminalStateTheStoreDoesNotConfirmInTimeStaysQueuedAndIsWrittenLater() throws Exception {
		Job job = queued(newId(), "node-a", at(0), null);
		this.store.down(true);
		long ticket = this.writer.submit(job, history(job.id()));
		CountDownLatch announced = new CountDownLatch(1);
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
		try {
			this.writer.durability()
				.whenDurableOrTimedOut(job.id(), ticket, Duration.ofMillis(100), scheduler, announced::countDown);
			assertThat(announced.await(30, TimeUnit.SECONDS)).isTrue();
			assertThat(this.store.find(job.id())).isEmpty();
			this.store.down(false);
			assertThat(this.writer.durability().awaitDurable(ticket, LONG)).isTrue();
			assertThat(this.store.find(job.id())).contains(job);
		}
		finally {
			scheduler.shutdownNow();
		}
	}

	@Test
	void aStoreWritingInMemoryIsWrittenOnTheSubmittingThreadWithNoThreadWoken() throws Exception {
		AtomicInteger threads = new AtomicInteger();
		this.store = new FaultyStore(true, true);
		this.writer = new StoreWriter(this.store, 1000, (task) -> {
			threads.incrementAndGet();
			return THREADS.newThread(task);
		}, this.listener);
		Job job = queued(newId(), "node-a", at(0), null);
		long ticket = this.writer.submit(job, history(job.id()));
		assertThat(this.store.find(job.id())).contains(job);
		assertThat(this.store.events(job.id(), 0, 100)).containsExactlyElementsOf(history(job.id()));
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
		try {
			List<String> announcedOn = new ArrayList<>();
			this.writer.durability()
				.whenDurableOrTimedOut(job.id(), ticket, LONG, scheduler,
						() -> announcedOn.add(Thread.currentThread().getName()));
			assertThat(announcedOn).containsExactly(Thread.currentThread().getName());
			assertThat(scheduler.getTaskCount()).isZero();
		}
		finally {
			scheduler.shutdownNow();
		}
		assertThat(this.writer.flush(Duration.ZERO)).isTrue();
		assertThat(threads).hasValue(0);
	}

	@Test
	void aWriteThatFailsOnTheSubmittingThreadIsRetriedByTheWriterThreadAheadOfLaterWork() {
		this.store = new FaultyStore(true, true);
		this.writer = new StoreWriter(this.store, 1000, THREADS, this.listener);
		Job job = queued(newId(), "node-a", at(0), null);
		List<Event> history = history(job.id());
		this.store.down(true);
		long first = this.writer.submit(job, history.subList(0, 1));
		assertThat(this.writer.durability().awaitDurable(first, Duration.ZERO)).isFalse();
		this.store.down(false);
		// the store is back, but the failed write is the writer thread's: this one queues behind it
		long second = this.writer.submit(running(job, at(1)), history.subList(1, history.size()));
		assertThat(this.writer.durability().awaitDurable(second, LONG)).isTrue();
		assertThat(this.store.find(job.id())).contains(running(job, at(1)));
		assertThat(this.store.events(job.id(), 0, 100)).containsExactlyElementsOf(history);
		assertThat(this.writer.lastFailure()).isNull();
		// with nothing left to the writer thread, writes are made on the submitting thread again
		Job other = queued(newId(), "node-a", at(2), null);
		this.writer.submit(other, List.of());
		assertThat(this.store.find(other.id())).contains(other);
	}

}
