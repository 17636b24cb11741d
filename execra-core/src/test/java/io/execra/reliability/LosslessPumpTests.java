package io.execra.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.execra.Command;
import io.execra.Delivery;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.Pump;
import io.execra.internal.job.RuntimeInternals;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Lossless readers under either pump: the event loop holds a job's streams unread while its readers are behind,
 * with no worker waiting, so stalled readers of many jobs never stop another job's output; the thread pump waits on
 * the job's own threads.
 */
class LosslessPumpTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static ExecraRuntime runtime(Pump pump) {
		ExecraRuntime runtime;
		try {
			runtime = ExecraRuntime.builder().maxConcurrent(32).pump(pump).build();
		}
		catch (IllegalStateException ex) {
			assumeTrue(false, "the event loop runs here: " + ex.getMessage());
			throw ex;
		}
		assertThat(RuntimeInternals.pump(runtime)).isEqualTo(pump.name().toLowerCase());
		return runtime;
	}

	/** Reads {@code seq}'s lines to the Finalized; returns how many, failing on a gap, a disorder or a lag. */
	private static long readInOrder(EventStream stream, Duration pausePerBatch) throws InterruptedException {
		long lines = 0;
		while (true) {
			List<Event> events = stream.nextBatch(1024, WAIT);
			assertThat(events).as("events after %s lines", lines).isNotEmpty();
			for (Event event : events) {
				assertThat(event).isNotInstanceOf(Event.Lagged.class);
				if (event instanceof Event.OutputAppended line) {
					assertThat(line.line()).isEqualTo(Long.toString(++lines));
				}
				else if (event instanceof Event.Finalized) {
					return lines;
				}
			}
			Thread.sleep(pausePerBatch.toMillis());
		}
	}

	private static Command ticks(int count) {
		return Command.of("sh", "-c", "i=1; while [ $i -le " + count + " ]; do echo $i; i=$((i+1)); sleep 0.01; done");
	}

	@ParameterizedTest
	@EnumSource(value = Pump.class, names = { "EVENT_LOOP", "THREADS" })
	void aLosslessReaderGetsEveryLineInOrderWhileAnotherJobKeepsFlowing(Pump pump) throws Exception {
		try (ExecraRuntime runtime = runtime(pump)) {
			JobHandle job = runtime.spawn(Command.of("seq", "1", "2000000"));
			try (EventStream lossless = job.events(Delivery.LOSSLESS)) {
				JobHandle third = runtime.spawn(ticks(100));
				// the reader pauses after each batch, so the seq job is held back most of the time
				long lines = readInOrder(lossless, Duration.ofMillis(1));
				assertThat(lines).isEqualTo(2_000_000);
				assertThat(third.outcome().get(30, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
				assertThat(runtime.output(third.id(), 0, 1 << 20, Duration.ZERO).chunks()).hasSize(100);
			}
			assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		}
	}

	@ParameterizedTest
	@EnumSource(value = Pump.class, names = { "EVENT_LOOP", "THREADS" })
	void moreStalledLosslessReadersThanWorkersDoNotStopAQuietJob(Pump pump) throws Exception {
		try (ExecraRuntime runtime = runtime(pump)) {
			List<JobHandle> held = new ArrayList<>();
			List<EventStream> readers = new ArrayList<>();
			try {
				for (int i = 0; i < 12; i++) {
					JobHandle job = runtime.spawn(Command.of("seq", "1", "200000"));
					held.add(job);
					readers.add(job.events(Delivery.lossless(Duration.ofMinutes(10))));
				}
				// every reader reads nothing for 3 s: each job fills its window and pipe, and is held back
				Thread.sleep(500);
				JobHandle quiet = runtime.spawn(ticks(20));
				assertThat(quiet.outcome().get(2500, TimeUnit.MILLISECONDS)).isInstanceOf(Outcome.Succeeded.class);
				assertThat(runtime.output(quiet.id(), 0, 1 << 20, Duration.ZERO).chunks()).hasSize(20);
				assertThat(held).allSatisfy((job) -> assertThat(job.snapshot().state()).isEqualTo(JobState.RUNNING));
				Thread.sleep(500);
				for (EventStream reader : readers) {
					assertThat(readInOrder(reader, Duration.ZERO)).isEqualTo(200_000);
				}
				for (JobHandle job : held) {
					assertThat(job.outcome().get(30, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
				}
			}
			finally {
				readers.forEach(EventStream::close);
			}
		}
	}

	@ParameterizedTest
	@EnumSource(value = Pump.class, names = { "EVENT_LOOP", "THREADS" })
	void closingALosslessReaderReleasesItsJob(Pump pump) throws Exception {
		try (ExecraRuntime runtime = runtime(pump)) {
			JobHandle job = runtime.spawn(Command.of("seq", "1", "2000000"));
			EventStream stalled = job.events(Delivery.lossless(Duration.ofMinutes(10)));
			Thread.sleep(1000);
			assertThat(job.snapshot().state()).as("held back by its reader").isEqualTo(JobState.RUNNING);
			stalled.close();
			assertThat(job.outcome().get(60, TimeUnit.SECONDS)).isInstanceOf(Outcome.Succeeded.class);
		}
	}

}
