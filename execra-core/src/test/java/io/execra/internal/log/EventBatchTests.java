package io.execra.internal.log;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import io.execra.Event;
import io.execra.JobId;
import io.execra.StdStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A batch of events and lines left undecoded: in order, with each entry's job, seq and cost, first in first out
 * across the growth of its ring.
 */
class EventBatchTests {

	private static final JobId JOB = JobId.generate(Clock.systemUTC());

	private static final JobId OTHER = JobId.generate(Clock.systemUTC());

	private static final Instant AT = Instant.EPOCH;

	private static Event.OutputAppended line(JobId job, long seq, String text) {
		return new Event.OutputAppended(job, seq, AT, StdStream.STDOUT, text, false);
	}

	private static List<Event> drain(EventBatch batch) {
		List<Event> events = new ArrayList<>();
		while (!batch.isEmpty()) {
			events.add(batch.removeFirst().event());
		}
		return events;
	}

	@Test
	void holdsEventsAndLinesLeftUndecodedInOrderWithTheirJobSeqAndCost() {
		LineRun run = new LineRun(JOB, AT, StdStream.STDOUT, "ab\ncde\n".getBytes(StandardCharsets.UTF_8));
		long[] refs = { LineRef.of(0, 2, true), LineRef.of(3, 3, true) };
		Event warning = new Event.WarningDetected(OTHER, 7, AT, "w", "careful");
		EventBatch batch = new EventBatch();
		batch.add(warning);
		batch.addLines(run, refs, 0, 2, 10);
		batch.add(line(JOB, 12, "decoded"));

		assertThat(batch.size()).isEqualTo(4);
		assertThat(batch.jobId(0)).isEqualTo(OTHER);
		assertThat(batch.jobId(1)).isEqualTo(JOB);
		assertThat(batch.seq(0)).isEqualTo(7);
		assertThat(batch.seq(1)).isEqualTo(10);
		assertThat(batch.seq(2)).isEqualTo(11);
		assertThat(batch.cost(0)).isEqualTo(EventCosts.replay(warning));
		assertThat(batch.cost(1)).isEqualTo(EventCosts.replayLine(2));
		assertThat(batch.cost(2)).isEqualTo(EventCosts.replayLine(3));
		assertThat(batch.cost()).isEqualTo(EventCosts.replay(warning) + EventCosts.replayLine(2)
				+ EventCosts.replayLine(3) + EventCosts.replayLine("decoded".length()));
		assertThat(drain(batch)).containsExactly(warning, line(JOB, 10, "ab"), line(JOB, 11, "cde"),
				line(JOB, 12, "decoded"));
		assertThat(batch.cost()).isZero();
	}

	@Test
	void anEntryCopiedFromAnotherBatchStaysAsItWas() {
		LineRun run = new LineRun(JOB, AT, StdStream.STDOUT, "ab\n".getBytes(StandardCharsets.UTF_8));
		EventBatch source = new EventBatch();
		source.add(line(OTHER, 1, "x"));
		source.addLines(run, new long[] { LineRef.of(0, 2, true) }, 0, 1, 5);
		EventBatch copy = new EventBatch();
		copy.add(source, 1);
		copy.add(source, 0);
		assertThat(copy.seq(0)).isEqualTo(5);
		assertThat(copy.cost()).isEqualTo(source.cost());
		assertThat(drain(copy)).containsExactly(line(JOB, 5, "ab"), line(OTHER, 1, "x"));
		assertThat(source.size()).isEqualTo(2);
	}

	@Test
	void staysFirstInFirstOutWhileItsRingWrapsAndGrows() {
		EventBatch batch = new EventBatch();
		long added = 0;
		long taken = 0;
		// added faster than taken, so the ring wraps before each growth
		for (int round = 0; round < 100; round++) {
			for (int i = 0; i < 3; i++) {
				batch.add(line(JOB, ++added, "x"));
			}
			for (int i = 0; i < 2; i++) {
				assertThat(batch.removeFirst().event().seq()).isEqualTo(++taken);
			}
			assertThat(batch.seq(0)).isEqualTo(taken + 1);
			assertThat(batch.size()).isEqualTo((int) (added - taken));
		}
		assertThat(drain(batch)).extracting(Event::seq).startsWith(taken + 1).endsWith(added).hasSize(100);
	}

	@Test
	void clearingEmptiesItWhereverItsEntriesLie() {
		EventBatch batch = new EventBatch();
		for (long seq = 1; seq <= 12; seq++) {
			batch.add(line(JOB, seq, "x"));
		}
		for (int i = 0; i < 10; i++) {
			batch.removeFirst();
		}
		for (long seq = 13; seq <= 20; seq++) {
			batch.add(line(JOB, seq, "x"));
		}
		batch.clear();
		assertThat(batch.isEmpty()).isTrue();
		assertThat(batch.cost()).isZero();
		assertThatExceptionOfType(NoSuchElementException.class).isThrownBy(batch::removeFirst);
		batch.add(line(JOB, 21, "x"));
		assertThat(drain(batch)).extracting(Event::seq).containsExactly(21L);
	}

	@Test
	void aBatchGrownInABurstLetsMostOfItsRoomGoWhenCleared() {
		EventBatch batch = new EventBatch();
		for (long seq = 1; seq <= 100; seq++) {
			batch.add(line(JOB, seq, "x"));
		}
		int small = batch.capacity();
		batch.clear();
		assertThat(batch.capacity()).isEqualTo(small);
		for (long seq = 1; seq <= 5000; seq++) {
			batch.add(line(JOB, seq, "x"));
		}
		assertThat(batch.capacity()).isGreaterThanOrEqualTo(5000);
		batch.clear();
		assertThat(batch.capacity()).isLessThan(5000);
		batch.add(line(JOB, 5001, "x"));
		assertThat(drain(batch)).extracting(Event::seq).containsExactly(5001L);
	}

	@Test
	void aTakenLineIsDecodedAnewEachTime() {
		LineRun run = new LineRun(JOB, AT, StdStream.STDOUT, "ab\n".getBytes(StandardCharsets.UTF_8));
		EventBatch batch = new EventBatch();
		batch.addLines(run, new long[] { LineRef.of(0, 2, true) }, 0, 1, 1);
		EventBatch.Taken taken = batch.removeFirst();
		assertThat(taken.event()).isEqualTo(taken.event()).isNotSameAs(taken.event());
		Event lag = new Event.Lagged(JOB, 3, AT, 0);
		assertThat(EventBatch.Taken.of(lag).event()).isSameAs(lag);
	}

}
