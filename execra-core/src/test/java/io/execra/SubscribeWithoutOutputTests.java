package io.execra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.execra.interpret.Interpreter;
import io.execra.support.TestJobs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An all-jobs subscription without output: every other event of each job, in order, and lags only for those.
 */
class SubscribeWithoutOutputTests {

	private static final int LINES = 100_000;

	private static final int ROUND = 5_000;

	/** Each round of lines of {@code seq} in a phase of its own, with its progress at its end. */
	private static Interpreter rounds() {
		return (line, context) -> {
			int n = Integer.parseInt(line.text());
			if (n % ROUND == 1) {
				context.enterPhase("round " + (n / ROUND), null);
			}
			else if (n % ROUND == 0) {
				context.progress(Progress.count(n, LINES));
				context.exitPhase();
			}
		};
	}

	private static List<Event> untilFinalized(EventStream stream) throws InterruptedException {
		List<Event> events = new ArrayList<>();
		while (true) {
			Event event = stream.next(Duration.ofSeconds(30));
			assertThat(event).as("event after %s", events.size()).isNotNull();
			events.add(event);
			if (event instanceof Event.Finalized) {
				return events;
			}
		}
	}

	private static List<Event> withoutOutput(List<Event> events) {
		return events.stream().filter((event) -> !(event instanceof Event.OutputAppended)).toList();
	}

	@Test
	void aSubscriberWithoutOutputGetsEveryOtherEventOfAChattyJobInOrderAndNoLag() throws Exception {
		AtomicLong lagged = new AtomicLong();
		ExecraListener lags = new ExecraListener() {

			@Override
			public void eventsLagged(long count) {
				lagged.addAndGet(count);
			}

		};
		// room for the job's 64 other events, not for its lines; a window that replays the whole job
		try (ExecraRuntime runtime = ExecraRuntime.builder()
			.subscriberBufferSize(100)
			.replayLimits(LINES + 1000, 256L << 20)
			.listener(lags)
			.build(); EventStream others = runtime.subscribeWithoutOutput(); EventStream all = runtime.subscribe()) {
			JobHandle job = runtime.spawn(Command.of("seq", Integer.toString(LINES)).interpreter(rounds()));
			// nobody reads while the job runs: each subscription keeps what its buffer holds
			job.await();

			List<Event> received = untilFinalized(others);
			List<Event> expected = withoutOutput(TestJobs.allEvents(job));
			assertThat(received).isEqualTo(expected);
			assertThat(TestJobs.kinds(received)).startsWith("job_created", "job_started")
				.endsWith("exited", "finalized")
				.filteredOn("phase_entered"::equals)
				.hasSize(LINES / ROUND);
			assertThat(TestJobs.kinds(received)).filteredOn("progress_updated"::equals).hasSize(LINES / ROUND);

			// the plain subscription with the same buffer fell behind on the lines: every lag counted is its own
			List<Event> plain = new ArrayList<>();
			for (Event event; (event = all.next(Duration.ZERO)) != null;) {
				plain.add(event);
			}
			List<Event> delivered = plain.stream().filter((event) -> !(event instanceof Event.Lagged)).toList();
			assertThat(plain).hasAtLeastOneElementOfType(Event.Lagged.class);
			assertThat(lagged).hasValue(TestJobs.allEvents(job).size() - delivered.size());
		}
	}

	@Test
	void theDefaultImplementationDropsLinesFromThePlainSubscriptionAlsoAsAFlowPublisher() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().build();
				EventStream polled = new EventStreamWithoutOutput(runtime.subscribe());
				EventStream published = new EventStreamWithoutOutput(runtime.subscribe())) {
			List<Event> flowed = new ArrayList<>();
			CompletableFuture<List<Event>> finalized = new CompletableFuture<>();
			published.subscribe(new Flow.Subscriber<>() {

				private Flow.Subscription subscription;

				@Override
				public void onSubscribe(Flow.Subscription subscription) {
					this.subscription = subscription;
					subscription.request(1);
				}

				@Override
				public void onNext(Event event) {
					flowed.add(event);
					if (event instanceof Event.Finalized) {
						finalized.complete(flowed);
					}
					// one at a time: each line dropped must be made up for by the stream, not by this demand
					this.subscription.request(1);
				}

				@Override
				public void onError(Throwable error) {
					finalized.completeExceptionally(error);
				}

				@Override
				public void onComplete() {
				}

			});
			JobHandle job = runtime.spawn(Command.of("seq", "1000"));
			List<Event> expected = withoutOutput(TestJobs.allEvents(job));
			assertThat(untilFinalized(polled)).isEqualTo(expected);
			assertThat(finalized.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
			assertThat(polled.next(Duration.ofMillis(50))).isNull();
		}
	}

}
