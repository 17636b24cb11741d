package io.execra.internal.store;

import java.util.List;

import io.execra.Event;
import io.execra.Job;
import io.execra.JobId;
import io.execra.StdStream;
import org.junit.jupiter.api.Test;

import static io.execra.store.JobStoreFixtures.at;
import static io.execra.store.JobStoreFixtures.exited;
import static io.execra.store.JobStoreFixtures.history;
import static io.execra.store.JobStoreFixtures.newId;
import static io.execra.store.JobStoreFixtures.queued;
import static io.execra.store.JobStoreFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;

class WriteQueueTests {

	private final RecordingListener listener = new RecordingListener();

	private WriteQueue queue(int capacity) {
		return new WriteQueue(capacity, this.listener, new ThrottledWarnings());
	}

	@Test
	void aJobsSnapshotsAreCoalescedIntoItsLatest() {
		WriteQueue queue = queue(100);
		Job first = queued(newId(), "node-a", at(0), null);
		Job other = queued(newId(), "node-a", at(0), null);
		queue.add(1, first, List.of());
		queue.add(2, other, List.of());
		queue.add(3, running(first, at(1)), List.of());
		queue.add(4, exited(running(first, at(1))), List.of());
		assertThat(queue.backlog()).isEqualTo(2);
		WriteQueue.Batch batch = queue.take(1000);
		assertThat(batch.jobs()).containsExactly(other, exited(running(first, at(1))));
		assertThat(batch.throughTicket()).isEqualTo(4);
		assertThat(queue.isEmpty()).isTrue();
	}

	@Test
	void outputLinesAndLagSignalsAreNotQueued() {
		WriteQueue queue = queue(100);
		JobId id = newId();
		queue.add(1, null, List.of(new Event.OutputAppended(id, 1, at(0), StdStream.STDOUT, "hello", false),
				new Event.Lagged(id, 2, at(0), 5), new Event.JobStarted(id, 3, at(0), 42)));
		assertThat(queue.take(1000).events()).extracting(Event::kind).containsExactly("job_started");
	}

	@Test
	void pastItsCapacityIntermediateEventsAreDroppedButCreatedExitedAndFinalizedAreKept() {
		WriteQueue queue = queue(3);
		JobId id = newId();
		List<Event> history = history(id);
		queue.add(1, null, history);
		assertThat(queue.take(1000).events()).extracting(Event::kind)
			.containsExactly("job_created", "job_started", "phase_entered", "exited", "finalized");
		assertThat(queue.dropped()).isEqualTo(history.size() - 5);
		assertThat(this.listener.eventsDropped).hasValue(history.size() - 5);
	}

	@Test
	void aBatchOfPartOfTheEventsCompletesOnlyTheSubmissionsBeforeTheNextEvent() {
		WriteQueue queue = queue(100);
		JobId id = newId();
		List<Event> history = history(id);
		queue.add(1, null, history.subList(0, 2));
		queue.add(2, null, history.subList(2, 4));
		queue.add(3, null, history.subList(4, 6));
		WriteQueue.Batch first = queue.take(3);
		assertThat(first.events()).containsExactlyElementsOf(history.subList(0, 3));
		assertThat(first.throughTicket()).isEqualTo(1);
		WriteQueue.Batch second = queue.take(3);
		assertThat(second.events()).containsExactlyElementsOf(history.subList(3, 6));
		assertThat(second.throughTicket()).isEqualTo(3);
	}

	@Test
	void aSubmissionWithNothingToStoreIsCompleteWithTheNextBatch() {
		WriteQueue queue = queue(100);
		JobId id = newId();
		queue.add(1, null, List.of(new Event.OutputAppended(id, 1, at(0), StdStream.STDERR, "line", false)));
		assertThat(queue.isEmpty()).isTrue();
		WriteQueue.Batch batch = queue.take(1000);
		assertThat(batch.jobs()).isEmpty();
		assertThat(batch.events()).isEmpty();
		assertThat(batch.throughTicket()).isEqualTo(1);
	}

}
