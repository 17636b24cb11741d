package io.execra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.execra.support.TestJobs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several readers of one job (job streams, all-jobs subscriptions): a line they read close together is decoded
 * once, by the first that takes it, and each gets its text right.
 */
class SharedLineDecodingTests {

	private static final int LINES = 50_000;

	private static List<Event> untilFinalized(EventStream stream) throws InterruptedException {
		List<Event> events = new ArrayList<>();
		while (true) {
			Event event = stream.next(Duration.ofSeconds(30));
			assertThat(event).as("event after %s", events.size()).isNotNull().isNotInstanceOf(Event.Lagged.class);
			events.add(event);
			if (event instanceof Event.Finalized) {
				return events;
			}
		}
	}

	private static List<String> expectedLines() {
		List<String> lines = new ArrayList<>();
		for (int i = 1; i <= LINES; i++) {
			lines.add(Integer.toString(i));
			lines.add("é " + i);
		}
		return lines;
	}

	private static Command twoLinesPerNumber() {
		// an ASCII line and a non-ASCII one per number ("é" written as its UTF-8 bytes, whatever the locale)
		return Command.of("awk", "BEGIN { for (i = 1; i <= " + LINES + "; i++) { print i; print \"\\303\\251 \" i } }");
	}

	/** A runtime whose job streams and all-jobs subscriptions hold every line of the job: none of them lags. */
	private static ExecraRuntime roomyRuntime() {
		return ExecraRuntime.builder()
			.replayLimits(3 * LINES, 256L << 20)
			.subscriberBufferSize(3 * LINES)
			.subscriberBufferBytes(256L << 20)
			.build();
	}

	/** The next output line of a stream, skipping its other events. */
	private static Event.OutputAppended nextLine(EventStream stream, int index) throws InterruptedException {
		while (true) {
			Event event = stream.next(Duration.ofSeconds(30));
			assertThat(event).as("event before line %s", index).isNotNull().isNotInstanceOf(Event.Lagged.class);
			if (event instanceof Event.OutputAppended line) {
				return line;
			}
			assertThat(event).as("event before line %s", index).isNotInstanceOf(Event.Finalized.class);
		}
	}

	/**
	 * Reads two streams of one job in turns, a line from each, and checks that both got the very same text for
	 * every line: decoded by whichever took it first.
	 */
	private static void assertSameLinesReadInTurns(EventStream first, EventStream second) throws InterruptedException {
		List<String> expected = expectedLines();
		for (int i = 0; i < expected.size(); i++) {
			Event.OutputAppended one = nextLine(first, i);
			Event.OutputAppended other = nextLine(second, i);
			assertThat(one.line()).as("line %s", i).isEqualTo(expected.get(i));
			assertThat(other.seq()).as("line %s", i).isEqualTo(one.seq());
			assertThat(other.line()).as("text of line %s (seq %s)", i, one.seq()).isSameAs(one.line());
		}
	}

	@Test
	void twoStreamsOfAJobReadingInTurnsGetTheSameTextOfEachLine() throws Exception {
		try (ExecraRuntime runtime = roomyRuntime()) {
			JobHandle job = runtime.spawn(twoLinesPerNumber());
			try (EventStream first = runtime.subscribe(job.id()); EventStream second = job.events()) {
				assertSameLinesReadInTurns(first, second);
			}
		}
	}

	@Test
	void anAllJobsSubscriptionAndAJobStreamReadingInTurnsGetTheSameTextOfEachLine() throws Exception {
		try (ExecraRuntime runtime = roomyRuntime(); EventStream all = runtime.subscribe()) {
			JobHandle job = runtime.spawn(twoLinesPerNumber());
			try (EventStream stream = job.events()) {
				assertSameLinesReadInTurns(all, stream);
			}
		}
	}

	@Test
	void twoAllJobsSubscriptionsReadingInTurnsGetTheSameTextOfEachLine() throws Exception {
		try (ExecraRuntime runtime = roomyRuntime(); EventStream first = runtime.subscribe();
				EventStream second = runtime.subscribe()) {
			runtime.spawn(twoLinesPerNumber());
			assertSameLinesReadInTurns(second, first);
		}
	}

	@Test
	void aStreamReadingAfterTheOtherFinishedDecodesItsOwnLines() throws Exception {
		// the lines shared are the last ones decoded, not the job's window: the window keeps holding bytes
		try (ExecraRuntime runtime = roomyRuntime()) {
			JobHandle job = runtime.spawn(twoLinesPerNumber());
			try (EventStream first = job.events(); EventStream second = job.events()) {
				List<String> firstLines = TestJobs.lines(untilFinalized(first));
				List<String> secondLines = TestJobs.lines(untilFinalized(second));
				assertThat(firstLines).containsExactlyElementsOf(expectedLines());
				assertThat(secondLines).containsExactlyElementsOf(expectedLines());
				assertThat(secondLines.get(0)).isNotSameAs(firstLines.get(0));
			}
		}
	}

	@Test
	void streamsReadingAJobConcurrentlyEachGetItsLinesRight() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try (ExecraRuntime runtime = roomyRuntime(); EventStream all = runtime.subscribe()) {
			JobHandle job = runtime.spawn(twoLinesPerNumber());
			List<EventStream> streams = List.of(job.events(), job.events(), runtime.subscribe(job.id()));
			Future<List<Event>> allRead = threads.submit(() -> untilFinalized(all));
			List<Future<List<Event>>> reads = new ArrayList<>();
			for (EventStream stream : streams) {
				Callable<List<Event>> read = () -> untilFinalized(stream);
				reads.add(threads.submit(read));
			}
			List<Event> reference = null;
			for (Future<List<Event>> read : reads) {
				List<Event> events = read.get(60, TimeUnit.SECONDS);
				assertThat(TestJobs.lines(events)).containsExactlyElementsOf(expectedLines());
				if (reference != null) {
					assertThat(events).isEqualTo(reference);
				}
				reference = events;
			}
			assertThat(TestJobs.lines(allRead.get(60, TimeUnit.SECONDS))).containsExactlyElementsOf(expectedLines());
			streams.forEach(EventStream::close);
		}
		finally {
			threads.shutdownNow();
		}
	}

}
