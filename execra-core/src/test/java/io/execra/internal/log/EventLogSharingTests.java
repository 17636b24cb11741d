package io.execra.internal.log;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.execra.Event;
import io.execra.JobId;
import io.execra.StdStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lines kept undecoded in the event log, read by several readers: decoded once, by the first, for all of them that
 * read it close together, while the log keeps holding bytes.
 */
class EventLogSharingTests {

	private static final JobId JOB = JobId.generate(Clock.systemUTC());

	private static final Instant AT = Instant.EPOCH;

	private static Object[] take(EventLogReader reader, int expected) {
		Object[] events = new Object[expected + 1];
		assertThat(reader.take(events)).isEqualTo(expected);
		return events;
	}

	/** An ASCII line at seq 1, a non-ASCII one at seq 2, a warning at seq 3, all published. */
	private static EventLog twoLinesAndAWarning() {
		byte[] bytes = "ascii\nnaïve\n".getBytes(StandardCharsets.UTF_8);
		long[] refs = { LineRef.of(0, 5, true), LineRef.of(6, bytes.length - 7, false) };
		EventLog log = new EventLog(100, Long.MAX_VALUE, 100, Long.MAX_VALUE);
		log.stage(1, new LineRun(JOB, AT, StdStream.STDOUT, bytes), refs, 0, 2, true);
		log.stage(new Event.WarningDetected(JOB, 3, AT, "w", "careful"));
		log.publishStaged();
		return log;
	}

	@Test
	void aLineTheFirstReaderDecodedIsTheSameInstanceForTheOthersWhileTheLogKeepsItsBytes() {
		EventLog log = twoLinesAndAWarning();
		EventLogReader first = log.reader(0);
		EventLogReader second = log.reader(0);
		Object[] taken = take(first, 3);
		Object[] again = take(second, 3);
		for (int i = 0; i < 3; i++) {
			assertThat(again[i]).isSameAs(taken[i]);
		}
		assertThat(((Event.OutputAppended) taken[0]).line()).isEqualTo("ascii");
		assertThat(((Event.OutputAppended) taken[1]).line()).isEqualTo("naïve");
		// the window and the retained output decode anew: the readers' last lines are shared, not stored back
		assertThat(log.get(2)).isEqualTo(taken[1]).isNotSameAs(taken[1]);
		assertThat(log.outputAfter(1)).isEqualTo(taken[1]).isNotSameAs(taken[1]);
	}

	@Test
	void readersFarApartEachDecodeTheLinesTheOtherDecodedTooLongAgo() {
		// a log outside a runtime shares its readers' last 256 lines
		int lines = 300;
		byte[] bytes = "x\n".repeat(lines).getBytes(StandardCharsets.UTF_8);
		long[] refs = new long[lines];
		for (int i = 0; i < lines; i++) {
			refs[i] = LineRef.of(2 * i, 1, true);
		}
		EventLog log = new EventLog(1000, Long.MAX_VALUE);
		LineRun run = new LineRun(JOB, AT, StdStream.STDOUT, bytes);
		int staged = 0;
		while (staged < lines) {
			// the log asks for a publish every quarter of its window
			staged += log.stage(staged + 1, run, refs, staged, lines, false);
			log.publishStaged();
		}
		EventLogReader ahead = log.reader(0);
		EventLogReader behind = log.reader(0);
		Object[] first = take(ahead, lines);
		Object[] second = take(behind, lines);
		// lines 1 to 44 gave their slots to lines 257 to 300, which the reader behind leaves there for later
		for (int i = 0; i < lines; i++) {
			if (i < lines - 256) {
				assertThat(second[i]).as("line %s", i + 1).isEqualTo(first[i]).isNotSameAs(first[i]);
			}
			else {
				assertThat(second[i]).as("line %s", i + 1).isSameAs(first[i]);
			}
		}
	}

	@Test
	void aLineLongerThanTheSharedOnesIsDecodedByEachReader() {
		String text = "y".repeat(DecodedLines.MAX_LENGTH + 1);
		byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
		EventLog log = new EventLog(100, Long.MAX_VALUE);
		log.stage(1, new LineRun(JOB, AT, StdStream.STDOUT, bytes), new long[] { LineRef.of(0, text.length(), true) },
				0, 1, false);
		log.publishStaged();
		Object[] first = take(log.reader(0), 1);
		Object[] second = take(log.reader(0), 1);
		assertThat(((Event.OutputAppended) first[0]).line()).isEqualTo(text);
		assertThat(second[0]).isEqualTo(first[0]).isNotSameAs(first[0]);
	}

	@Test
	void aLineQueuedForAnAllJobsSubscriptionIsSharedWithTheLogsReader() {
		// one all-jobs subscription wanting lines, and one reader of the log: two readers of the job's lines
		DecodedLines decoded = new DecodedLines(() -> 1);
		EventLog log = new EventLog(100, Long.MAX_VALUE, 0, 0, decoded);
		byte[] bytes = "one\ntwo\n".getBytes(StandardCharsets.UTF_8);
		long[] refs = { LineRef.of(0, 3, true), LineRef.of(4, 3, true) };
		LineRun run = new LineRun(JOB, AT, StdStream.STDOUT, bytes, log.lineReaders());
		log.stage(1, run, refs, 0, 2, false);
		log.publishStaged();
		EventBatch queue = new EventBatch();
		queue.addLines(run, refs, 0, 2, 1);
		EventLogReader reader = log.reader(0);
		// the queue takes the first line first, the log's reader the second
		Event one = queue.removeFirst().event();
		Object[] taken = take(reader, 2);
		Event two = queue.removeFirst().event();
		assertThat(taken[0]).isSameAs(one);
		assertThat(two).isSameAs(taken[1]);
		assertThat(((Event.OutputAppended) two).line()).isEqualTo("two");
	}

	@Test
	void aLoneAllJobsSubscriptionDecodesItsOwnLines() {
		EventLog log = new EventLog(100, Long.MAX_VALUE, 0, 0, new DecodedLines(() -> 1));
		byte[] bytes = "one\n".getBytes(StandardCharsets.UTF_8);
		long[] refs = { LineRef.of(0, 3, true) };
		LineRun run = new LineRun(JOB, AT, StdStream.STDOUT, bytes, log.lineReaders());
		EventBatch queue = new EventBatch();
		queue.addLines(run, refs, 0, 1, 1);
		queue.addLines(run, refs, 0, 1, 1);
		Event one = queue.removeFirst().event();
		assertThat(queue.removeFirst().event()).isEqualTo(one).isNotSameAs(one);
	}

	@Test
	void aLoneReaderLeavesTheLogHoldingTheLinesBytes() {
		EventLog log = twoLinesAndAWarning();
		EventLogReader alone = log.reader(0);
		EventLogReader closed = log.reader(0);
		closed.close();
		closed.close();
		Object[] taken = take(alone, 3);
		assertThat(log.get(1)).isEqualTo(taken[0]).isNotSameAs(taken[0]);
		assertThat(log.get(2)).isEqualTo(taken[1]).isNotSameAs(taken[1]);
	}

	@Test
	void theWindowsKeepTheSameLinesWhetherReadersDecodedThemOrNot() {
		// "é" is two bytes and one character: a line's cost follows from its bytes however it is held
		byte[] bytes = "é\n".repeat(40).getBytes(StandardCharsets.UTF_8);
		LineRun run = new LineRun(JOB, AT, StdStream.STDOUT, bytes);
		long[] refs = new long[40];
		for (int i = 0; i < refs.length; i++) {
			refs[i] = LineRef.of(3 * i, 2, false);
		}
		EventLog unread = new EventLog(100, 5L * EventCosts.replayLine(2), 3, Long.MAX_VALUE);
		EventLog read = new EventLog(100, 5L * EventCosts.replayLine(2), 3, Long.MAX_VALUE);
		EventLogReader first = read.reader(0);
		EventLogReader second = read.reader(0);
		Object[] into = new Object[64];
		for (int i = 0; i < refs.length; i++) {
			unread.stage(i + 1, run, refs, i, i + 1, true);
			unread.publishStaged();
			read.stage(i + 1, run, refs, i, i + 1, true);
			read.publishStaged();
			first.take(into);
			second.take(into);
			assertThat(read.firstSeq()).as("first seq after line %s", i + 1).isEqualTo(unread.firstSeq());
			assertThat(read.outputEvictedUpTo()).isEqualTo(unread.outputEvictedUpTo());
			assertThat(read.outputAfter(0)).isEqualTo(unread.outputAfter(0));
			assertThat(read.chunksHeld()).isEqualTo(unread.chunksHeld());
		}
		assertThat(read.firstSeq()).isEqualTo(36);
		assertThat(read.outputEvictedUpTo()).isEqualTo(37);
	}

	@Test
	void readersRacingOnTheSameLinesEachGetTheirTextRight() throws Exception {
		int total = 200_000;
		EventLog log = new EventLog(total + 1, Long.MAX_VALUE);
		List<EventLogReader> readers = List.of(log.reader(0), log.reader(0), log.reader(0));
		ExecutorService threads = Executors.newFixedThreadPool(readers.size());
		List<CompletableFuture<Long>> shared = new ArrayList<>();
		for (EventLogReader reader : readers) {
			shared.add(CompletableFuture.supplyAsync(() -> readAll(reader, total), threads));
		}
		long seq = 1;
		while (seq <= total) {
			// a run of 100 lines per read, as a pump makes them: ASCII and not
			StringBuilder text = new StringBuilder();
			long[] refs = new long[100];
			for (int i = 0; i < refs.length; i++) {
				String line = expectedLine(seq + i);
				int start = text.toString().getBytes(StandardCharsets.UTF_8).length;
				int length = line.getBytes(StandardCharsets.UTF_8).length;
				refs[i] = LineRef.of(start, length, length == line.length());
				text.append(line).append('\n');
			}
			LineRun run = new LineRun(JOB, AT, StdStream.STDOUT, text.toString().getBytes(StandardCharsets.UTF_8));
			int staged = 0;
			while (staged < refs.length) {
				staged += log.stage(seq + staged, run, refs, staged, refs.length, false);
				log.publishStaged();
				log.signal();
			}
			seq += refs.length;
		}
		try {
			for (CompletableFuture<Long> reader : shared) {
				assertThat(reader.get(60, TimeUnit.SECONDS)).isEqualTo((long) total);
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static String expectedLine(long seq) {
		return ((seq % 3 == 0) ? "línea " : "line ") + seq;
	}

	/** Takes every line, checking each one's seq and text; returns how many it took. */
	private static long readAll(EventLogReader reader, int total) {
		Object[] into = new Object[64];
		long taken = 0;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (taken < total && System.nanoTime() < deadline) {
			int count = reader.take(into);
			for (int i = 0; i < count; i++) {
				Event.OutputAppended line = (Event.OutputAppended) into[i];
				taken++;
				if (line.seq() != taken || !line.line().equals(expectedLine(taken))) {
					throw new AssertionError("line " + taken + " read as " + line);
				}
			}
			if (count == 0) {
				Thread.onSpinWait();
			}
		}
		return taken;
	}

}
