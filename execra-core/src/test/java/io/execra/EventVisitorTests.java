package io.execra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link EventStream#nextBatch(int, Duration, EventVisitor)}: the same events as {@link EventStream#next}, lines as
 * views, through real processes.
 */
class EventVisitorTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	/** Lines of more than 16 bytes are split, so a job's lines are held both undecoded and as events. */
	private final ExecraRuntime runtime = ExecraRuntime.builder().maxLineLength(16).build();

	@AfterEach
	void close() {
		this.runtime.close();
	}

	/** What a visitor got: each line as the event it stands for, its text read from the view, other events. */
	private static final class Recorder implements EventVisitor {

		final List<Event> events = new ArrayList<>();

		final List<String> texts = new ArrayList<>();

		@Override
		public void onLine(OutputLine line) {
			this.texts.add(line.text().toString());
			assertThat(line.line()).isEqualTo(line.text().toString());
			Event.OutputAppended event = line.toEvent();
			assertThat(event.seq()).isEqualTo(line.seq());
			assertThat(event.jobId()).isEqualTo(line.jobId());
			assertThat(event.stream()).isEqualTo(line.stream());
			assertThat(event.at()).isEqualTo(line.at());
			assertThat(event.split()).isEqualTo(line.split());
			this.events.add(event);
		}

		@Override
		public void onEvent(Event event) {
			this.events.add(event);
		}

		boolean finalized() {
			return !this.events.isEmpty() && this.events.get(this.events.size() - 1) instanceof Event.Finalized;
		}

	}

	private static List<Event> readWithNext(EventStream stream) throws InterruptedException {
		List<Event> events = new ArrayList<>();
		while (true) {
			Event event = stream.next(WAIT);
			assertThat(event).as("event after %s", events).isNotNull();
			events.add(event);
			if (event instanceof Event.Finalized) {
				return events;
			}
		}
	}

	private static Recorder readWithVisitor(EventStream stream, int max) throws InterruptedException {
		Recorder recorder = new Recorder();
		while (!recorder.finalized()) {
			assertThat(stream.nextBatch(max, WAIT, recorder)).as("events after %s", recorder.events).isPositive();
		}
		return recorder;
	}

	@Test
	void aVisitorGetsTheSameEventsAsNextWithLinesAsViews() throws Exception {
		// ASCII, UTF-8 and invalid UTF-8 lines on both streams, and a line split at the limit
		JobHandle job = this.runtime.spawn(Command.shell("printf 'plain\\nh\\303\\251llo\\nbad\\377\\n';"
				+ " printf 'to stderr\\n' >&2; printf '0123456789abcdefghijKLMNOP\\n'; printf 'last\\n'"));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		List<Event> expected;
		try (EventStream events = job.events()) {
			expected = readWithNext(events);
		}
		for (int max : new int[] { 1, 3, 4096 }) {
			try (EventStream events = job.events()) {
				Recorder recorder = readWithVisitor(events, max);
				assertThat(recorder.events).as("max %d", max).containsExactlyElementsOf(expected);
				// the two pipes' lines interleave as the pump read them
				assertThat(recorder.texts).as("max %d", max)
					.containsExactlyElementsOf(expected.stream()
						.filter(Event.OutputAppended.class::isInstance)
						.map((event) -> ((Event.OutputAppended) event).line())
						.toList())
					.containsExactlyInAnyOrder("plain", "h\u00e9llo", "bad\uFFFD", "to stderr", "0123456789abcdef",
							"ghijKLMNOP", "last");
				assertThat(events.isComplete()).isTrue();
				assertThat(events.nextBatch(10, Duration.ZERO, recorder)).isZero();
			}
		}
	}

	@Test
	void aLosslessVisitorGetsEveryLineOfAChattyJobInOrder() throws Exception {
		int lines = 2_000_000;
		JobHandle job = this.runtime.spawn(Command.of("seq", "1", Integer.toString(lines)));
		long[] read = new long[3];
		try (EventStream events = job.events(Delivery.LOSSLESS)) {
			EventVisitor visitor = new EventVisitor() {

				@Override
				public void onLine(OutputLine line) {
					long value = Long.parseLong(line.text(), 0, line.text().length(), 10);
					read[1] += (value == read[0] + 1) ? 0 : 1;
					read[0] = value;
				}

				@Override
				public void onEvent(Event event) {
					read[2] += (event instanceof Event.Lagged) ? 1 : 0;
				}

			};
			while (!events.isComplete()) {
				assertThat(events.nextBatch(4096, WAIT, visitor)).isPositive();
			}
		}
		assertThat(read[0]).as("last line").isEqualTo(lines);
		assertThat(read[1]).as("lines out of order").isZero();
		assertThat(read[2]).as("lags").isZero();
	}

	@Test
	void anEventWhoseVisitThrowsIsNotVisitedAgain() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("printf", "one\\ntwo\\nthree\\n"));
		job.await();
		try (EventStream events = job.events()) {
			List<String> texts = new ArrayList<>();
			EventVisitor failingAtTwo = new EventVisitor() {

				@Override
				public void onLine(OutputLine line) {
					if (line.text().toString().equals("two")) {
						throw new IllegalStateException("visitor failed at two");
					}
					texts.add(line.line());
				}

				@Override
				public void onEvent(Event event) {
				}

			};
			assertThatThrownBy(() -> events.nextBatch(100, WAIT, failingAtTwo)).hasMessage("visitor failed at two");
			while (!events.isComplete()) {
				events.nextBatch(100, WAIT, failingAtTwo);
			}
			assertThat(texts).containsExactly("one", "three");
		}
	}

	@Test
	void aStreamWhoseFinalizedVisitThrowsIsCompleteAllTheSame() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("true"));
		job.await();
		try (EventStream events = job.events()) {
			EventVisitor failingAtTheEnd = new EventVisitor() {

				@Override
				public void onLine(OutputLine line) {
				}

				@Override
				public void onEvent(Event event) {
					if (event instanceof Event.Finalized) {
						throw new IllegalStateException("visitor failed at finalized");
					}
				}

			};
			assertThatThrownBy(() -> {
				while (true) {
					events.nextBatch(1, WAIT, failingAtTheEnd);
				}
			}).hasMessage("visitor failed at finalized");
			assertThat(events.isComplete()).isTrue();
			assertThat(events.nextBatch(10, WAIT, failingAtTheEnd)).isZero();
		}
	}

	@Test
	void aVisitorThatReadsItsOwnStreamIsRefusedAndTheStreamGoesOn() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("printf", "one\\ntwo\\n"));
		job.await();
		try (EventStream events = job.events()) {
			EventVisitor reentrant = new EventVisitor() {

				@Override
				public void onLine(OutputLine line) {
					try {
						events.next(Duration.ZERO);
					}
					catch (InterruptedException ex) {
						throw new IllegalStateException(ex);
					}
				}

				@Override
				public void onEvent(Event event) {
				}

			};
			assertThatThrownBy(() -> {
				while (!events.isComplete()) {
					events.nextBatch(100, WAIT, reentrant);
				}
			}).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot read the stream it is visiting");
			Recorder rest = readWithVisitor(events, 100);
			assertThat(rest.texts).containsExactly("two");
		}
	}

	@Test
	void anAllJobsSubscriptionHandsItsLinesOverThroughTheDefaultImplementation() throws Exception {
		try (EventStream all = this.runtime.subscribe()) {
			JobHandle job = this.runtime.spawn(Command.of("printf", "a\\nb\\n"));
			job.await();
			List<Event> expected;
			try (EventStream events = job.events()) {
				expected = readWithNext(events);
			}
			Recorder recorder = readWithVisitor(all, 100);
			assertThat(recorder.events).containsExactlyElementsOf(expected);
			assertThat(recorder.texts).containsExactly("a", "b");
		}
	}

	@Test
	void nextBatchWithAVisitorRefusesANonPositiveMaxAndANullVisitor() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("true"));
		try (EventStream events = job.events()) {
			assertThatIllegalArgumentException().isThrownBy(() -> events.nextBatch(0, WAIT, new Recorder()))
				.withMessageContaining("'max' must be positive but was 0");
			assertThatIllegalArgumentException().isThrownBy(() -> events.nextBatch(1, WAIT, null))
				.withMessageContaining("'visitor'");
		}
	}

}
