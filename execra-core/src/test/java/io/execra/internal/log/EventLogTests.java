package io.execra.internal.log;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.execra.Event;
import io.execra.JobId;
import io.execra.StdStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay window: its bounds, and readers taking events by seq while the writer adds and evicts.
 */
class EventLogTests {

	private static final JobId JOB = JobId.generate(Clock.systemUTC());

	private static final Instant AT = Instant.EPOCH;

	private static Event line(long seq, String text) {
		return new Event.OutputAppended(JOB, seq, AT, StdStream.STDOUT, text, false);
	}

	/** The event after a reader's position, taken alone, or {@code null} if there is none to take. */
	private static Event next(EventLogReader reader) {
		Object[] one = new Object[1];
		return (reader.take(one) == 1) ? (Event) one[0] : null;
	}

	@Test
	void keepsTheNewestEventsWithinTheCountBound() {
		EventLog window = new EventLog(100, Long.MAX_VALUE);
		for (long seq = 1; seq <= 1000; seq++) {
			window.add(line(seq, "x"));
		}
		assertThat(window.firstSeq()).isEqualTo(901);
		assertThat(window.lastSeq()).isEqualTo(1000);
		assertThat(window.get(900)).isNull();
		for (long seq = 901; seq <= 1000; seq++) {
			assertThat(window.get(seq)).extracting(Event::seq).isEqualTo(seq);
		}
		assertThat(window.get(1001)).isNull();
	}

	@Test
	void keepsTheNewestEventsWithinTheByteBoundAndAlwaysTheLast() {
		int cost = EventCosts.replay(line(1, "0123456789"));
		EventLog window = new EventLog(1000, 10L * cost);
		for (long seq = 1; seq <= 50; seq++) {
			window.add(line(seq, "0123456789"));
		}
		assertThat(window.firstSeq()).isEqualTo(41);
		window.add(line(51, "x".repeat(1000)));
		assertThat(window.firstSeq()).isEqualTo(51);
		assertThat(window.get(51)).isNotNull();
	}

	@Test
	void aPublishIsDueOnceTheStagedEventsFillAQuarterOfTheWindowByCountOrByCost() {
		EventLog byCount = new EventLog(100, Long.MAX_VALUE);
		for (long seq = 1; seq <= 24; seq++) {
			byCount.stage(line(seq, "x"));
		}
		assertThat(byCount.publishDue()).isFalse();
		byCount.stage(line(25, "x"));
		assertThat(byCount.publishDue()).isTrue();
		byCount.publishStaged();
		assertThat(byCount.publishDue()).isFalse();
		assertThat(byCount.lastSeq()).isEqualTo(25);

		int cost = EventCosts.replay(line(1, "0123456789"));
		EventLog byCost = new EventLog(1000, 40L * cost);
		for (long seq = 1; seq <= 9; seq++) {
			byCost.stage(line(seq, "0123456789"));
		}
		assertThat(byCost.publishDue()).isFalse();
		byCost.stage(line(10, "0123456789"));
		assertThat(byCost.publishDue()).isTrue();
		byCost.publishStaged();
		assertThat(byCost.publishDue()).isFalse();
	}

	@Test
	void holdsOnlyTheChunksItsWindowsReachInto() {
		EventLog log = new EventLog(100, Long.MAX_VALUE, 1000, Long.MAX_VALUE);
		for (long seq = 1; seq <= 100_000; seq++) {
			log.stageLine((Event.OutputAppended) line(seq, "x"), seq % 10 == 0);
			if (seq % 700 == 0) {
				log.publishStaged();
			}
		}
		log.publishStaged();
		// 1,000 output lines, one event in ten, reach 10,000 events back: 40 chunks of 256, and one begun
		assertThat(log.chunksHeld()).isBetween(40, 41);
		assertThat(log.outputAfter(0)).extracting(Event::seq).isEqualTo(90_010L);
		log.releaseOutput();
		log.add(line(100_001, "x"));
		assertThat(log.chunksHeld()).isEqualTo(1);
		assertThat(log.outputAfter(0)).isNull();
		assertThat(log.outputEvictedUpTo()).isEqualTo(100_000);
	}

	@Test
	void anUndecodedLineIsDecodedByWhoeverReadsIt() {
		byte[] read = "ok\nnaïve \u00ff\n".getBytes(StandardCharsets.UTF_8);
		byte[] bytes = Arrays.copyOf(read, read.length + 2);
		// a byte that is not UTF-8 at all, as a tool may print it
		bytes[read.length] = (byte) 0xC3;
		bytes[read.length + 1] = '!';
		LineRun lines = new LineRun(JOB, AT, StdStream.STDERR, bytes);
		long ok = LineRef.of(0, 2, true);
		long naive = LineRef.of(3, read.length - 4, false);
		long invalid = LineRef.of(read.length, 2, false);
		EventLog log = new EventLog(100, Long.MAX_VALUE, 100, Long.MAX_VALUE);
		log.stage(1, lines, new long[] { ok }, 0, 1, true);
		log.stage(line(2, "decoded"));
		log.stage(3, lines, new long[] { naive }, 0, 1, true);
		log.stage(4, lines, new long[] { invalid }, 0, 1, true);
		log.publishStaged();

		Event expected1 = new Event.OutputAppended(JOB, 1, AT, StdStream.STDERR, "ok", false);
		Event expected3 = new Event.OutputAppended(JOB, 3, AT, StdStream.STDERR, "naïve \u00ff", false);
		Event expected4 = new Event.OutputAppended(JOB, 4, AT, StdStream.STDERR, "\uFFFD!", false);
		EventLogReader reader = log.reader(0);
		assertThat(next(reader)).isEqualTo(expected1);
		assertThat(next(reader)).isEqualTo(line(2, "decoded"));
		assertThat(next(reader)).isEqualTo(expected3);
		assertThat(next(reader)).isEqualTo(expected4);
		assertThat(next(reader)).isNull();
		assertThat(log.get(3)).isEqualTo(expected3);
		// each read decodes its own copy
		assertThat(log.get(3)).isNotSameAs(log.get(3));
		assertThat(log.outputAfter(0)).isEqualTo(expected1);
		assertThat(log.outputAfter(1)).isEqualTo(expected3);
		assertThat(log.outputBefore(Long.MAX_VALUE)).isEqualTo(expected4);
	}

	@Test
	void theCostsOfAnUndecodedLineFollowFromItsLengthInBothWindows() {
		LineRun lines = new LineRun(JOB, AT, StdStream.STDOUT,
				"l1\nl2\nl3\nl4\nl5\n".getBytes(StandardCharsets.UTF_8));
		EventLog log = new EventLog(100, 2L * EventCosts.replayLine(2), 100, 2L * EventCosts.retainedLine(2));
		long[] refs = new long[5];
		for (int i = 0; i < refs.length; i++) {
			refs[i] = LineRef.of(i * 3, 2, true);
		}
		// the first four retained, as a run (published where due, as the job does); the last not, as a run of one
		int staged = 0;
		while (staged < 4) {
			staged += log.stage(1 + staged, lines, refs, staged, 4, true);
			log.publishStaged();
		}
		assertThat(log.firstSeq()).isEqualTo(3);
		assertThat(log.outputAfter(0)).extracting(Event.OutputAppended::line).isEqualTo("l3");
		assertThat(log.outputEvictedUpTo()).isEqualTo(2);
		log.stage(5, lines, refs, 4, 5, false);
		log.publishStaged();
		assertThat(log.firstSeq()).isEqualTo(4);
		assertThat(log.get(5)).extracting((event) -> ((Event.OutputAppended) event).line()).isEqualTo("l5");
		// not retained output
		assertThat(log.outputBefore(Long.MAX_VALUE)).extracting(Event.OutputAppended::line).isEqualTo("l4");
	}

	@Test
	void aRunOfUndecodedLinesStopsWhereAPublishFallsDue() {
		LineRun lines = new LineRun(JOB, AT, StdStream.STDOUT, "x\n".repeat(10).getBytes(StandardCharsets.UTF_8));
		long[] refs = new long[10];
		for (int i = 0; i < refs.length; i++) {
			refs[i] = LineRef.of(i * 2, 1, true);
		}
		// a quarter of 12 events: due after three staged
		EventLog log = new EventLog(12, Long.MAX_VALUE);
		assertThat(log.stage(1, lines, refs, 0, 10, false)).isEqualTo(3);
		assertThat(log.publishDue()).isTrue();
		log.publishStaged();
		assertThat(log.stage(4, lines, refs, 3, 10, false)).isEqualTo(3);
		log.publishStaged();
		assertThat(log.lastSeq()).isEqualTo(6);
	}

	@Test
	void eventsOtherThanOutputAreFoundWithoutDecodingLines() {
		LineRun lines = new LineRun(JOB, AT, StdStream.STDOUT, "x\n".getBytes(StandardCharsets.UTF_8));
		EventLog log = new EventLog(100, Long.MAX_VALUE);
		Event warning = new Event.WarningDetected(JOB, 3, AT, "w", "careful");
		log.stage(1, lines, new long[] { LineRef.of(0, 1, true) }, 0, 1, false);
		log.stage(line(2, "decoded"));
		log.add(warning);
		assertThat(log.getUnlessOutput(1)).isNull();
		assertThat(log.getUnlessOutput(2)).isNull();
		assertThat(log.getUnlessOutput(3)).isSameAs(warning);
		assertThat(log.getUnlessOutput(4)).isNull();
	}

	@Test
	void startsAtTheFirstSeqAdded() {
		EventLog window = new EventLog(10, Long.MAX_VALUE);
		assertThat(window.firstSeq()).isEqualTo(1);
		assertThat(window.lastSeq()).isZero();
		window.add(line(5, "x"));
		assertThat(window.firstSeq()).isEqualTo(5);
		assertThat(window.get(5)).isNotNull();
		assertThat(window.get(4)).isNull();
	}

	@Test
	void stagedEventsLeaveTheWindowAsAddingThemOneByOne() {
		Random random = new Random(42);
		for (int round = 0; round < 200; round++) {
			int maxEvents = 1 + random.nextInt(40);
			long maxBytes = 100 + random.nextInt(3000);
			EventLog added = new EventLog(maxEvents, maxBytes);
			EventLog staged = new EventLog(maxEvents, maxBytes);
			long seq = 1 + random.nextInt(5);
			for (int batch = 0; batch < 10; batch++) {
				int count = 1 + random.nextInt((random.nextBoolean()) ? 5 : 1200);
				for (int i = 0; i < count; i++, seq++) {
					Event event = line(seq, "x".repeat(random.nextInt((random.nextInt(10) == 0) ? 400 : 20)));
					added.add(event);
					staged.stage(event);
				}
				staged.publishStaged();
				assertThat(staged.firstSeq()).as("round %d batch %d", round, batch).isEqualTo(added.firstSeq());
				assertThat(staged.lastSeq()).isEqualTo(added.lastSeq());
				for (long s = Math.max(1, added.firstSeq() - 3); s <= added.lastSeq() + 1; s++) {
					assertThat(staged.get(s)).isSameAs(added.get(s));
				}
			}
		}
	}

	@Test
	void retainedOutputAfterBatchesIsWhatPublishingEachEventLeaves() {
		// whole chunks leave the windows by their sums: the same lines must stay as when each leaves alone
		Random random = new Random(11);
		for (int round = 0; round < 200; round++) {
			int maxEvents = 1 + random.nextInt((random.nextBoolean()) ? 40 : 3000);
			long maxBytes = 100 + random.nextInt(300_000);
			int maxLines = 1 + random.nextInt((random.nextBoolean()) ? 10 : 1500);
			long maxOutputBytes = 50 + random.nextInt(100_000);
			EventLog single = new EventLog(maxEvents, maxBytes, maxLines, maxOutputBytes);
			EventLog batched = new EventLog(maxEvents, maxBytes, maxLines, maxOutputBytes);
			long seq = 1 + random.nextInt(5);
			for (int batch = 0; batch < 8; batch++) {
				int count = 1 + random.nextInt((random.nextBoolean()) ? 5 : 2000);
				boolean undecoded = random.nextBoolean();
				boolean retained = random.nextInt(8) != 0;
				if (undecoded) {
					byte[] bytes = new byte[count * 30];
					long[] refs = new long[count];
					for (int i = 0; i < count; i++) {
						int length = random.nextInt((random.nextInt(10) == 0) ? 29 : 8);
						Arrays.fill(bytes, i * 30, i * 30 + length, (byte) 'y');
						refs[i] = LineRef.of(i * 30, length, true);
					}
					LineRun run = new LineRun(JOB, AT, StdStream.STDOUT, bytes);
					for (int from = 0; from < count;) {
						from += batched.stage(seq + from, run, refs, from, count, retained);
						batched.publishStaged();
					}
					for (int i = 0; i < count; i++) {
						single.stage(seq + i, run, refs, i, i + 1, retained);
						single.publishStaged();
					}
					seq += count;
				}
				else {
					for (int i = 0; i < count; i++, seq++) {
						if (random.nextInt(20) == 0) {
							Event other = new Event.PhaseEntered(JOB, seq, AT, 1, "phase", null);
							single.add(other);
							batched.stage(other);
						}
						else {
							Event.OutputAppended line = (Event.OutputAppended) line(seq, "x".repeat(random.nextInt(20)));
							single.stageLine(line, retained);
							single.publishStaged();
							batched.stageLine(line, retained);
						}
					}
				}
				batched.publishStaged();
				assertThat(batched.firstSeq()).as("round %d batch %d", round, batch).isEqualTo(single.firstSeq());
				assertThat(batched.outputEvictedUpTo()).as("round %d batch %d", round, batch)
					.isEqualTo(single.outputEvictedUpTo());
				assertThat(retainedSeqs(batched)).as("round %d batch %d", round, batch)
					.isEqualTo(retainedSeqs(single));
			}
		}
	}

	private static String retainedSeqs(EventLog log) {
		StringBuilder seqs = new StringBuilder();
		for (Event.OutputAppended line = log.outputAfter(0); line != null; line = log.outputAfter(line.seq())) {
			seqs.append(line.seq()).append(',');
		}
		return seqs.toString();
	}

	@Test
	void addPublishesWhatWasStagedFirst() {
		EventLog window = new EventLog(100, Long.MAX_VALUE);
		window.stage(line(1, "a"));
		window.stage(line(2, "b"));
		assertThat(window.lastSeq()).isZero();
		window.add(line(3, "c"));
		assertThat(window.firstSeq()).isEqualTo(1);
		assertThat(window.get(2)).extracting(Event::seq).isEqualTo(2L);
		assertThat(window.lastSeq()).isEqualTo(3);
	}

	@Test
	void readerTakesEventsInOrderAndNoticesWhenItFellOut() {
		EventLog window = new EventLog(3, Long.MAX_VALUE);
		EventLogReader reader = window.reader(0);
		assertThat(next(reader)).isNull();
		assertThat(reader.missedNext()).isFalse();
		for (long seq = 1; seq <= 40; seq++) {
			window.add(line(seq, "x"));
		}
		assertThat(next(reader)).isNull();
		assertThat(reader.missedNext()).isTrue();
		assertThat(reader.skipToFirst()).isEqualTo(38);
		assertThat(next(reader)).extracting(Event::seq).isEqualTo(38L);
		assertThat(next(reader)).extracting(Event::seq).isEqualTo(39L);
		assertThat(next(reader)).extracting(Event::seq).isEqualTo(40L);
		assertThat(next(reader)).isNull();
		assertThat(reader.missedNext()).isFalse();
	}

	@Test
	void readerTakesRunsOfEventsAcrossChunksUpToTheSpaceGiven() {
		EventLog window = new EventLog(1000, Long.MAX_VALUE);
		EventLogReader reader = window.reader(0);
		Object[] into = new Object[100];
		assertThat(reader.take(into)).isZero();
		assertThat(reader.missedNext()).isFalse();
		for (long seq = 1; seq <= 3000; seq++) {
			window.add(line(seq, "x"));
		}
		// 2,000 events left the window: the reader lags, then takes what is left, 100 at a time
		assertThat(reader.take(into)).isZero();
		assertThat(reader.missedNext()).isTrue();
		assertThat(reader.skipToFirst()).isEqualTo(2001);
		long expected = 2001;
		int count;
		while ((count = reader.take(into)) > 0) {
			assertThat(count).isLessThanOrEqualTo(100);
			for (int i = 0; i < count; i++) {
				assertThat(((Event) into[i]).seq()).isEqualTo(expected++);
			}
			assertThat(reader.position()).isEqualTo(expected - 1);
		}
		assertThat(expected).isEqualTo(3001);
		assertThat(reader.missedNext()).isFalse();
		window.add(line(3001, "x"));
		assertThat(reader.take(into)).isOne();
		assertThat(into[0]).isEqualTo(line(3001, "x"));
	}

	@Test
	void readerOfAGrowingWindowFindsEveryEvent() {
		EventLog window = new EventLog(1 << 20, Long.MAX_VALUE);
		EventLogReader reader = window.reader(0);
		for (long seq = 1; seq <= 5000; seq++) {
			window.add(line(seq, "x"));
			if (seq % 7 == 0) {
				Event event;
				while ((event = next(reader)) != null) {
					assertThat(event.seq()).isEqualTo(reader.position());
				}
				assertThat(reader.position()).isEqualTo(seq);
			}
		}
	}

	@Test
	void concurrentReaderSeesContiguousSeqsExceptWhereItLagged() throws Exception {
		EventLog window = new EventLog(1000, 64 * 1024);
		long total = 2_000_000;
		AtomicBoolean done = new AtomicBoolean();
		Thread writer = new Thread(() -> {
			for (long seq = 1; seq <= total; seq++) {
				Event event = line(seq, (seq % 100 == 0) ? "a longer line of output" : "x");
				if (seq % 3000 < 1500) {
					window.stage(event);
				}
				else {
					window.add(event);
				}
				if (seq % 512 == 0) {
					window.publishStaged();
					window.signal();
				}
			}
			window.publishStaged();
			window.signal();
			done.set(true);
		});
		writer.start();
		EventLogReader reader = window.reader(0);
		long expected = 1;
		long received = 0;
		long wrong = 0;
		while (expected <= total) {
			Event event = next(reader);
			if (event != null) {
				wrong += (event.seq() != expected) ? 1 : 0;
				expected++;
				received++;
			}
			else if (reader.missedNext()) {
				long resume = reader.skipToFirst();
				wrong += (resume <= expected) ? 1 : 0;
				expected = resume;
			}
			else {
				window.awaitAfter(reader.position(), TimeUnit.MILLISECONDS.toNanos(10), done::get);
			}
		}
		writer.join();
		assertThat(wrong).isZero();
		assertThat(received).isPositive();
		assertThat(reader.position()).isEqualTo(total);
	}

	@Test
	void waitingReaderIsWokenBySignalAndByWakeAll() throws Exception {
		EventLog window = new EventLog(10, Long.MAX_VALUE);
		Thread writer = new Thread(() -> {
			sleep(50);
			window.add(line(1, "x"));
			window.signal();
		});
		writer.start();
		long left = window.awaitAfter(0, TimeUnit.SECONDS.toNanos(30), () -> false);
		assertThat(left).isPositive();
		assertThat(window.lastSeq()).isEqualTo(1);
		AtomicBoolean stop = new AtomicBoolean();
		Thread stopper = new Thread(() -> {
			sleep(50);
			stop.set(true);
			window.wakeAll();
		});
		stopper.start();
		left = window.awaitAfter(1, TimeUnit.SECONDS.toNanos(30), stop::get);
		assertThat(left).isPositive();
		writer.join();
		stopper.join();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
