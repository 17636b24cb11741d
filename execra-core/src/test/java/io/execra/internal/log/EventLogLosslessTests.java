package io.execra.internal.log;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.execra.Event;
import io.execra.JobId;
import io.execra.StdStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lossless readers of an {@link EventLog}: the replay window keeps what they have not taken past its bounds, and
 * tells the pumps when to wait and for which seq.
 */
class EventLogLosslessTests {

	private static final JobId JOB = JobId.generate(Clock.systemUTC());

	private static final long STALL = TimeUnit.SECONDS.toNanos(30);

	private static Event line(long seq) {
		return new Event.OutputAppended(JOB, seq, Instant.EPOCH, StdStream.STDOUT, "x", false);
	}

	private static void add(EventLog log, long from, long to) {
		for (long seq = from; seq <= to; seq++) {
			log.add(line(seq));
		}
	}

	@Test
	void keepsEveryEventALosslessReaderHasNotTakenPastTheCountBound() {
		EventLog log = new EventLog(100, Long.MAX_VALUE);
		EventLogReader reader = log.reader(0, STALL);
		add(log, 1, 1000);
		assertThat(log.firstSeq()).isEqualTo(1);
		Object[] all = new Object[1000];
		assertThat(reader.take(all)).isEqualTo(1000);
		for (int i = 0; i < 1000; i++) {
			assertThat(((Event) all[i]).seq()).isEqualTo(i + 1);
		}
	}

	@Test
	void keepsEveryEventALosslessReaderHasNotTakenPastTheByteBound() {
		EventLog log = new EventLog(Integer.MAX_VALUE, 10L * EventCosts.replay(line(1)));
		EventLogReader reader = log.reader(0, STALL);
		add(log, 1, 50);
		assertThat(log.firstSeq()).isEqualTo(1);
		assertThat(log.heldByLosslessReaders()).isPositive();
		assertThat(reader.take(new Object[50])).isEqualTo(50);
		assertThat(log.heldByLosslessReaders()).isZero();
		assertThat(log.firstSeq()).isEqualTo(41);
	}

	@Test
	void holdsThePumpsUntilTheSlowestReaderTookHalfOfWhatItIsBehind() {
		EventLog log = new EventLog(100, Long.MAX_VALUE);
		EventLogReader slow = log.reader(0, STALL);
		EventLogReader fast = log.reader(0, STALL);
		add(log, 1, 100);
		assertThat(log.heldByLosslessReaders()).isZero();
		add(log, 101, 101);
		assertThat(fast.take(new Object[200])).isEqualTo(101);
		assertThat(log.heldByLosslessReaders()).as("seq to resume at").isEqualTo(51);
		slow.take(new Object[50]);
		assertThat(log.heldByLosslessReaders()).as("window after the slow reader took 50").isZero();
		assertThat(log.firstSeq()).isEqualTo(2);
	}

	@Test
	void aClosedReaderNoLongerHoldsTheWindow() {
		EventLog log = new EventLog(100, Long.MAX_VALUE);
		EventLogReader reader = log.reader(0, STALL);
		add(log, 1, 1000);
		assertThat(log.losslessReaders().any()).isTrue();
		reader.close();
		assertThat(log.losslessReaders().any()).isFalse();
		assertThat(log.heldByLosslessReaders()).isZero();
		add(log, 1001, 1001);
		assertThat(log.firstSeq()).as("first seq at the next publish").isEqualTo(902);
	}

	@Test
	void aPlainReaderNeverHoldsTheWindow() {
		EventLog log = new EventLog(100, Long.MAX_VALUE);
		EventLogReader reader = log.reader(0);
		add(log, 1, 1000);
		assertThat(log.firstSeq()).isEqualTo(901);
		assertThat(reader.take(new Object[10])).isZero();
		assertThat(reader.missedNext()).isTrue();
	}

	@Test
	void aWaitingPumpIsWokenOnceTheSlowestReaderReachesTheSeqAndNotBefore() throws Exception {
		EventLog log = new EventLog(100, Long.MAX_VALUE);
		EventLogReader reader = log.reader(0, STALL);
		add(log, 1, 200);
		long resumeAt = log.heldByLosslessReaders();
		assertThat(resumeAt).isEqualTo(100);
		LosslessReaders readers = log.losslessReaders();
		readers.startWaiting(resumeAt);
		Thread taker = new Thread(() -> {
			reader.take(new Object[99]);
			reader.take(new Object[1]);
		});
		long start = System.nanoTime();
		taker.start();
		readers.awaitProgress(TimeUnit.SECONDS.toNanos(30), () -> false);
		assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(30));
		assertThat(reader.position()).isEqualTo(100);
		readers.stopWaiting();
		taker.join();
	}

}
