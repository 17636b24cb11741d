package io.execra.internal.log;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

import io.execra.Event;
import io.execra.JobId;
import io.execra.StdStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The chunks of a job's event log: where each offset's slot is, what a slot holds and costs (a line kept undecoded
 * marked retained or not), the ring that finds chunks, and the chunks dropped as the windows leave them.
 */
class EventChunksTests {

	private static final JobId JOB = JobId.generate(Clock.systemUTC());

	private static final Instant AT = Instant.EPOCH;

	private static final int SIZE = EventChunks.SIZE;

	private static Event.OutputAppended line(long seq, String text) {
		return new Event.OutputAppended(JOB, seq, AT, StdStream.STDOUT, text, false);
	}

	@Test
	void anOffsetHasItsSlotInTheChunkOfItsNumber() {
		assertThat(EventChunks.number(0)).isZero();
		assertThat(EventChunks.index(0)).isZero();
		assertThat(EventChunks.number(SIZE - 1)).isZero();
		assertThat(EventChunks.index(SIZE - 1)).isEqualTo(SIZE - 1);
		assertThat(EventChunks.number(SIZE)).isEqualTo(1);
		assertThat(EventChunks.index(SIZE)).isZero();
		assertThat(EventChunks.number(5L * SIZE + 7)).isEqualTo(5);
		assertThat(EventChunks.index(5L * SIZE + 7)).isEqualTo(7);
	}

	@Test
	void theWriterFillsOneChunkUntilItsLastSlot() {
		EventChunks chunks = new EventChunks();
		assertThat(chunks.count()).isZero();
		EventChunks.Chunk first = chunks.forWriting(0);
		assertThat(chunks.forWriting(SIZE - 1)).isSameAs(first);
		EventChunks.Chunk second = chunks.forWriting(SIZE);
		assertThat(second).isNotSameAs(first);
		assertThat(second.number).isEqualTo(1);
		assertThat(chunks.count()).isEqualTo(2);
		assertThat(EventChunks.find(chunks.ring(), 0)).isSameAs(first);
		assertThat(EventChunks.find(chunks.ring(), 1)).isSameAs(second);
		assertThat(EventChunks.find(chunks.ring(), 2)).isNull();
	}

	@Test
	void aSlotHoldsAnEventWithTheCostsItWasGiven() {
		EventChunks.Chunk chunk = new EventChunks().forWriting(0);
		assertThat(EventChunks.event(chunk, 3, 4)).isNull();
		assertThat(chunk.cost(3)).isZero();
		assertThat(chunk.outputCost(3)).isZero();
		Event warning = new Event.WarningDetected(JOB, 4, AT, "w", "careful");
		chunk.event(3, warning, 128, 0);
		chunk.event(4, line(5, "x"), 66, 34);
		assertThat(EventChunks.event(chunk, 3, 4)).isSameAs(warning);
		assertThat(chunk.cost(3)).isEqualTo(128);
		assertThat(chunk.outputCost(3)).isZero();
		assertThat(chunk.cost(4)).isEqualTo(66);
		assertThat(chunk.outputCost(4)).isEqualTo(34);
		assertThat(chunk.cost(5)).isZero();
	}

	@Test
	void aLineKeptUndecodedCostsByItsLengthAndAsOutputOnlyIfMarkedRetained() {
		LineRun run = new LineRun(JOB, AT, StdStream.STDERR, "kept\nnot\n".getBytes(StandardCharsets.UTF_8));
		long kept = LineRef.of(0, 4, true);
		long notKept = LineRef.of(5, 3, true);
		EventChunks.Chunk chunk = new EventChunks().forWriting(0);
		chunk.line(0, run, kept, EventCosts.replayLine(4), EventCosts.retainedLine(4));
		chunk.line(1, run, notKept, EventCosts.replayLine(3), 0);

		assertThat(LineRef.isRetained(chunk.lineRefs[0])).isTrue();
		assertThat(LineRef.isRetained(chunk.lineRefs[1])).isFalse();
		assertThat(chunk.cost(0)).isEqualTo(EventCosts.replayLine(4));
		assertThat(chunk.outputCost(0)).isEqualTo(EventCosts.retainedLine(4));
		assertThat(chunk.cost(1)).isEqualTo(EventCosts.replayLine(3));
		assertThat(chunk.outputCost(1)).isZero();
		// the mark changes nothing a reader decodes
		assertThat(EventChunks.event(chunk, 0, 1))
			.isEqualTo(new Event.OutputAppended(JOB, 1, AT, StdStream.STDERR, "kept", false));
		assertThat(EventChunks.event(chunk, 1, 2))
			.isEqualTo(new Event.OutputAppended(JOB, 2, AT, StdStream.STDERR, "not", false));
	}

	@Test
	void theRingGrowsAndAnOldRingKeepsFindingWhatItHeld() {
		EventChunks chunks = new EventChunks();
		chunks.forWriting(0);
		EventChunks.Chunk[] before = chunks.ring();
		for (long number = 1; number < 10; number++) {
			chunks.forWriting(number * SIZE);
		}
		EventChunks.Chunk[] after = chunks.ring();
		assertThat(after).isNotSameAs(before);
		assertThat(chunks.count()).isEqualTo(10);
		for (long number = 0; number < 10; number++) {
			assertThat(EventChunks.find(after, number)).isSameAs(chunks.held(number));
		}
		assertThat(EventChunks.find(before, 0)).isSameAs(chunks.held(0));
	}

	@Test
	void chunksWhollyBeforeAnOffsetAreDropped() {
		EventChunks chunks = new EventChunks();
		for (long number = 0; number < 6; number++) {
			chunks.forWriting(number * SIZE);
		}
		chunks.dropBefore(3L * SIZE + 10);
		assertThat(chunks.count()).isEqualTo(3);
		for (long number = 0; number < 3; number++) {
			assertThat(EventChunks.find(chunks.ring(), number)).isNull();
			long dropped = number;
			assertThatIllegalStateException().isThrownBy(() -> chunks.held(dropped));
		}
		assertThat(chunks.held(3).number).isEqualTo(3);
		// ring slots freed by the drop take the next chunks without growing the ring
		EventChunks.Chunk[] ring = chunks.ring();
		chunks.forWriting(6L * SIZE);
		chunks.forWriting(7L * SIZE);
		assertThat(chunks.ring()).isSameAs(ring);
		assertThat(EventChunks.find(ring, 7)).isSameAs(chunks.held(7));
	}

	@Test
	void theReplayWindowDropsTheChunksItLeavesByCount() {
		EventLog log = new EventLog(SIZE, Long.MAX_VALUE);
		LineRun run = new LineRun(JOB, AT, StdStream.STDOUT, "x\n".getBytes(StandardCharsets.UTF_8));
		long[] refs = { LineRef.of(0, 1, true) };
		for (long seq = 1; seq <= 10L * SIZE; seq++) {
			log.stage(seq, run, refs, 0, 1, false);
			log.publishStaged();
		}
		// the newest SIZE events: the last chunk whole
		assertThat(log.firstSeq()).isEqualTo(9L * SIZE + 1);
		assertThat(log.chunksHeld()).isEqualTo(1);
		log.add(line(10L * SIZE + 1, "x"));
		assertThat(log.chunksHeld()).isEqualTo(2);
	}

	@Test
	void theReplayWindowDropsTheChunksItLeavesByTheCostsOfTheirSlots() {
		// lines of 9 bytes undecoded and events of other kinds, alternating: the bound holds 100 of either
		LineRun run = new LineRun(JOB, AT, StdStream.STDOUT, "123456789\n".getBytes(StandardCharsets.UTF_8));
		long[] refs = { LineRef.of(0, 9, true) };
		int lineCost = EventCosts.replayLine(9);
		int otherCost = EventCosts.replay(new Event.WarningDetected(JOB, 1, AT, "w", "careful"));
		EventLog log = new EventLog(Integer.MAX_VALUE, 50L * lineCost + 50L * otherCost);
		long seq = 1;
		while (seq <= 20L * SIZE) {
			log.stage(seq, run, refs, 0, 1, false);
			log.stage(new Event.WarningDetected(JOB, seq + 1, AT, "w", "careful"));
			log.publishStaged();
			seq += 2;
		}
		long last = seq - 1;
		assertThat(log.firstSeq()).isEqualTo(last - 99);
		assertThat(log.get(last - 100)).isNull();
		assertThat(log.get(last - 99)).isNotNull();
		// 100 events reach into at most two chunks
		assertThat(log.chunksHeld()).isBetween(1, 2);
	}

}
