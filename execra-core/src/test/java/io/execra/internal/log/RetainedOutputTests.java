package io.execra.internal.log;

import java.time.Clock;
import java.time.Instant;

import io.execra.Event;
import io.execra.JobId;
import io.execra.StdStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window of retained output lines over a job's event chunks: its bounds by lines and bytes, the lookups by seq
 * that skip the job's other events, and letting every line go.
 */
class RetainedOutputTests {

	private static final JobId JOB = JobId.generate(Clock.systemUTC());

	private final EventChunks chunks = new EventChunks();

	private long base;

	private long staged;

	private RetainedOutput output(int maxLines, long maxBytes, long firstSeq) {
		RetainedOutput output = new RetainedOutput(this.chunks, maxLines, maxBytes);
		output.start(firstSeq);
		this.base = firstSeq;
		this.staged = firstSeq - 1;
		return output;
	}

	/** Stages an output line kept in memory at the given cost, as the event log does. */
	private void line(RetainedOutput output, String text, int cost) {
		long seq = stage(new Event.OutputAppended(JOB, this.staged + 1, Instant.EPOCH, StdStream.STDOUT, text, false),
				cost);
		output.added(seq, cost);
	}

	/** Stages an event that is not retained output. */
	private void otherEvent() {
		stage(new Event.PhaseExited(JOB, this.staged + 1, Instant.EPOCH, 1), 0);
	}

	private long stage(Event event, int outputCost) {
		long seq = this.staged + 1;
		long offset = seq - this.base;
		EventChunks.Chunk chunk = this.chunks.forWriting(offset);
		int index = EventChunks.index(offset);
		chunk.event(index, event, 10, outputCost);
		this.staged = seq;
		return seq;
	}

	private static @Nullable String text(Event.@Nullable OutputAppended line) {
		return (line != null) ? line.line() : null;
	}

	@Test
	void retainsNothingWhenEitherBoundIsZero() {
		assertThat(new RetainedOutput(this.chunks, 0, 100).retains()).isFalse();
		assertThat(new RetainedOutput(this.chunks, 100, 0).retains()).isFalse();
		assertThat(new RetainedOutput(this.chunks, 1, 1).retains()).isTrue();
	}

	@Test
	void keepsTheNewestLinesWithinTheLineBound() {
		RetainedOutput output = output(3, Long.MAX_VALUE, 1);
		for (int i = 1; i <= 5; i++) {
			line(output, "line " + i, 10);
		}
		output.evict();
		assertThat(output.evictedUpTo()).isEqualTo(2);
		assertThat(text(output.after(0, this.staged))).isEqualTo("line 3");
		assertThat(text(output.before(Long.MAX_VALUE, this.staged))).isEqualTo("line 5");
		assertThat(output.reach(this.staged)).isEqualTo(3);
	}

	@Test
	void keepsTheNewestLinesWithinTheByteBound() {
		RetainedOutput output = output(100, 25, 1);
		for (int i = 1; i <= 5; i++) {
			line(output, "line " + i, 10);
		}
		output.evict();
		assertThat(output.evictedUpTo()).isEqualTo(3);
		assertThat(text(output.after(0, this.staged))).isEqualTo("line 4");
	}

	@Test
	void theLastLineStaysEvenOverTheByteBound() {
		RetainedOutput output = output(100, 5, 1);
		line(output, "a long line", 50);
		line(output, "another long line", 50);
		output.evict();
		assertThat(output.evictedUpTo()).isEqualTo(1);
		assertThat(text(output.after(0, this.staged))).isEqualTo("another long line");
		assertThat(text(output.after(2, this.staged))).isNull();
	}

	@Test
	void lookupsSkipEventsThatAreNotRetainedLines() {
		RetainedOutput output = output(100, Long.MAX_VALUE, 1);
		line(output, "first", 10);
		otherEvent();
		otherEvent();
		line(output, "second", 10);
		assertThat(output.after(1, this.staged).seq()).isEqualTo(4);
		assertThat(output.before(4, this.staged).seq()).isEqualTo(1);
		assertThat(output.before(1, this.staged)).isNull();
	}

	@Test
	void evictionWalksAcrossChunks() {
		RetainedOutput output = output(2, Long.MAX_VALUE, 7);
		for (int i = 0; i < 2 * EventChunks.SIZE; i++) {
			otherEvent();
		}
		line(output, "old", 10);
		for (int i = 0; i < EventChunks.SIZE; i++) {
			otherEvent();
		}
		line(output, "middle", 10);
		line(output, "new", 10);
		output.evict();
		long oldSeq = 7 + 2 * EventChunks.SIZE;
		assertThat(output.evictedUpTo()).isEqualTo(oldSeq);
		assertThat(text(output.after(0, this.staged))).isEqualTo("middle");
		assertThat(output.reach(this.staged)).isEqualTo(oldSeq + EventChunks.SIZE + 1);
	}

	@Test
	void readsPastTheLargestSeqWithoutWrapping() {
		RetainedOutput output = output(100, Long.MAX_VALUE, 1);
		line(output, "only", 10);
		assertThat(output.after(Long.MAX_VALUE, this.staged)).isNull();
		assertThat(text(output.before(Long.MAX_VALUE, this.staged))).isEqualTo("only");
	}

	@Test
	void releaseLetsEveryLineGo() {
		RetainedOutput output = output(100, Long.MAX_VALUE, 1);
		line(output, "one", 10);
		line(output, "two", 10);
		otherEvent();
		output.release(this.staged);
		assertThat(output.evictedUpTo()).isEqualTo(3);
		assertThat(output.after(0, this.staged)).isNull();
		assertThat(output.before(Long.MAX_VALUE, this.staged)).isNull();
		assertThat(output.reach(this.staged)).isEqualTo(4);
		line(output, "three", 10);
		assertThat(text(output.after(0, this.staged))).isEqualTo("three");
	}

	@Test
	void withoutLinesTheWindowReachesPastTheLastStagedEvent() {
		RetainedOutput output = output(100, Long.MAX_VALUE, 1);
		otherEvent();
		otherEvent();
		assertThat(output.reach(this.staged)).isEqualTo(3);
		assertThat(output.after(0, this.staged)).isNull();
		assertThat(output.evictedUpTo()).isZero();
	}

}
