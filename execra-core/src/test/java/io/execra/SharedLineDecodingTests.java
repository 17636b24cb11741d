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
 * Several streams of one job: a line is decoded once, by the first that takes it, and each gets its text right.
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

	@Test
	void twoStreamsOfAJobGetTheSameInstanceOfEachLine() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().replayLimits(3 * LINES, 256L << 20).build()) {
			JobHandle job = runtime.spawn(twoLinesPerNumber());
			try (EventStream first = runtime.subscribe(job.id()); EventStream second = job.events()) {
				List<Event> firstEvents = untilFinalized(first);
				List<Event> secondEvents = untilFinalized(second);
				assertThat(TestJobs.lines(firstEvents)).containsExactlyElementsOf(expectedLines());
				assertThat(secondEvents).hasSameSizeAs(firstEvents);
				for (int i = 0; i < firstEvents.size(); i++) {
					assertThat(secondEvents.get(i)).as("event %s", i).isSameAs(firstEvents.get(i));
				}
			}
		}
	}

	@Test
	void streamsReadingAJobConcurrentlyEachGetItsLinesRight() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(3);
		try (ExecraRuntime runtime = ExecraRuntime.builder().replayLimits(3 * LINES, 256L << 20).build()) {
			JobHandle job = runtime.spawn(twoLinesPerNumber());
			List<EventStream> streams = List.of(job.events(), job.events(), runtime.subscribe(job.id()));
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
			streams.forEach(EventStream::close);
		}
		finally {
			threads.shutdownNow();
		}
	}

}
