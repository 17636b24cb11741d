package io.execra.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@link PollWait}: a wake ends the wait in progress or the next one, and no wait outlasts the poll interval.
 */
class PollWaitTests {

	/** Far longer than any test may take: a wait that lasts it is a wait that was not ended. */
	private static final Duration HOUR = Duration.ofHours(1);

	private static final Duration BOUND = Duration.ofSeconds(10);

	@Test
	void aWakeBeforeTheWaitIsNotLost() {
		PollWait wait = new PollWait(HOUR);
		wait.wake();
		assertTimeoutPreemptively(BOUND, () -> wait.await());
	}

	@Test
	void aWakeEndsOnlyOneWait() throws InterruptedException {
		Duration poll = Duration.ofMillis(50);
		PollWait wait = new PollWait(poll);
		wait.wake();
		wait.wake();
		wait.await();
		long start = System.nanoTime();
		wait.await();
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(poll.toNanos());
	}

	@Test
	void aWakeEndsTheWaitInProgress() throws InterruptedException {
		PollWait wait = new PollWait(HOUR);
		CompletableFuture<@Nullable Throwable> ended = new CompletableFuture<>();
		Thread waiter = waiting(wait, ended);
		wait.wake();
		assertThat(ended).succeedsWithin(BOUND).isNull();
		waiter.join();
	}

	@Test
	void withoutAWakeTheWaitEndsAfterThePollInterval() {
		Duration poll = Duration.ofMillis(100);
		PollWait wait = new PollWait(poll);
		long start = System.nanoTime();
		assertTimeoutPreemptively(BOUND, () -> wait.await());
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(poll.toNanos());
	}

	@Test
	void aCallerWithLessTimeThanThePollIntervalWaitsOnlyThatLong() {
		PollWait wait = new PollWait(HOUR);
		long max = Duration.ofMillis(50).toNanos();
		long start = System.nanoTime();
		assertTimeoutPreemptively(BOUND, () -> wait.await(max));
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(max);
	}

	@Test
	void anInterruptEndsTheWaitWithInterruptedException() throws InterruptedException {
		PollWait wait = new PollWait(HOUR);
		CompletableFuture<@Nullable Throwable> ended = new CompletableFuture<>();
		Thread waiter = waiting(wait, ended);
		waiter.interrupt();
		assertThat(ended).succeedsWithin(BOUND).isInstanceOf(InterruptedException.class);
		waiter.join();
	}

	/** A thread in {@code wait.await()}, which completes {@code ended} with what ended it ({@code null}: returned). */
	private static Thread waiting(PollWait wait, CompletableFuture<@Nullable Throwable> ended) {
		Thread waiter = new Thread(() -> {
			try {
				wait.await();
				ended.complete(null);
			}
			catch (Throwable ex) {
				ended.complete(ex);
			}
		}, "poll-wait-test");
		waiter.start();
		// a timed wait is the await itself: nothing else in it sleeps with a timeout
		Awaitility.await().atMost(BOUND).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
		return waiter;
	}

}
