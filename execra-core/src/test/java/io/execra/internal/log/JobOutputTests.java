package io.execra.internal.log;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.execra.Event;
import io.execra.JobId;
import io.execra.OutputPage;
import io.execra.StdStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory part of a job's retained output: its bounds, with lines reaching memory in bulk.
 */
class JobOutputTests {

	private static final JobId JOB = JobId.generate(Clock.systemUTC());

	private static Event.OutputAppended line(long seq, String text) {
		return new Event.OutputAppended(JOB, seq, Instant.EPOCH, StdStream.STDOUT, text, false);
	}

	private static JobOutput output(int maxLines, long maxBytes) {
		return new JobOutput(JOB, new EventLog(10, Long.MAX_VALUE, maxLines, maxBytes), null, false, false);
	}

	@Test
	void keepsTheNewestLinesWithinTheLineBound() {
		JobOutput output = output(100, Long.MAX_VALUE);
		for (long seq = 1; seq <= 1234; seq++) {
			output.add(line(seq, "line " + seq), true);
		}
		long[] missed = new long[1];
		List<OutputPage.Chunk> page = output.read(0, Integer.MAX_VALUE, missed);
		assertThat(missed[0]).isEqualTo(1);
		assertThat(page).extracting(OutputPage.Chunk::seq).first().isEqualTo(1135L);
		assertThat(page).hasSize(100).last().extracting(OutputPage.Chunk::line).isEqualTo("line 1234");
	}

	@Test
	void keepsTheNewestLinesWithinTheByteBoundAndAlwaysTheLast() {
		// a line of n characters costs 32 + 2n
		JobOutput output = output(1000, 10 * 52);
		for (long seq = 1; seq <= 700; seq++) {
			output.add(line(seq, "0123456789"), true);
		}
		long[] missed = new long[1];
		assertThat(output.read(0, Integer.MAX_VALUE, missed)).extracting(OutputPage.Chunk::seq)
			.containsExactly(691L, 692L, 693L, 694L, 695L, 696L, 697L, 698L, 699L, 700L);
		output.add(line(701, "x".repeat(2000)), true);
		assertThat(output.read(0, Integer.MAX_VALUE, missed)).extracting(OutputPage.Chunk::seq).containsExactly(701L);
		assertThat(output.tail(5)).isEqualTo("xxxxx");
	}

	@Test
	void afterASpillReadsComeFromTheLogFileWithTheLinesKeptBefore(@TempDir Path dir) {
		JobOutput output = new JobOutput(JOB, new EventLog(10, Long.MAX_VALUE, 1000, Long.MAX_VALUE), dir, false,
				false);
		for (long seq = 1; seq <= 5; seq++) {
			output.add(line(seq, "kept"), true);
		}
		output.spillToFile();
		output.add(line(6, "spilled"), false);
		long[] missed = new long[1];
		List<OutputPage.Chunk> page = output.read(0, Integer.MAX_VALUE, missed);
		assertThat(missed[0]).isZero();
		assertThat(page).extracting(OutputPage.Chunk::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
		assertThat(page).last().extracting(OutputPage.Chunk::line).isEqualTo("spilled");
		assertThat(output.lastSeq()).isEqualTo(6);
	}

	@Test
	void lineKeptOutsideMemoryWithoutALogFileIsReportedMissed() {
		JobOutput output = output(1000, Long.MAX_VALUE);
		for (long seq = 1; seq <= 5; seq++) {
			output.add(line(seq, "kept"), true);
		}
		output.add(line(6, "not kept"), false);
		output.add(line(7, "kept again"), true);
		long[] missed = new long[1];
		List<OutputPage.Chunk> page = output.read(0, Integer.MAX_VALUE, missed);
		assertThat(missed[0]).isEqualTo(1);
		assertThat(page).extracting(OutputPage.Chunk::seq).containsExactly(7L);
		assertThat(output.lastSeq()).isEqualTo(7);
	}

	@Test
	void retainedOutputSkipsTheOtherEventsOfTheJob() {
		EventLog log = new EventLog(10, Long.MAX_VALUE, 3, Long.MAX_VALUE);
		JobOutput output = new JobOutput(JOB, log, null, false, false);
		long seq = 1;
		for (int i = 1; i <= 600; i++) {
			output.add(line(seq++, "line " + i), true);
			log.stage(new Event.PhaseEntered(JOB, seq++, Instant.EPOCH, 1, "step", null));
		}
		long[] missed = new long[1];
		assertThat(output.read(0, Integer.MAX_VALUE, missed)).extracting(OutputPage.Chunk::line)
			.containsExactly("line 598", "line 599", "line 600");
		assertThat(missed[0]).isEqualTo(1);
		assertThat(output.tail(100)).isEqualTo("line 598\nline 599\nline 600");
		assertThat(log.firstSeq()).isEqualTo(1191);
	}

}
