package io.execra.internal.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.execra.store.JobStoreFixtures.newId;
import static org.assertj.core.api.Assertions.assertThat;

class DurabilityTests {

	private final AtomicInteger wakeUps = new AtomicInteger();

	private final Durability durability = new Durability(this.wakeUps::incrementAndGet, new ThrottledWarnings(),
			() -> 0);

	private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

	DurabilityTests() {
		this.scheduler.setRemoveOnCancelPolicy(true);
	}

	@AfterEach
	void stopScheduler() {
		this.scheduler.shutdownNow();
	}

	@Test
	void ticketsAreIssuedInOrderAndNoneIsDurableBeforeItIsMarked() {
		assertThat(this.durability.allDurable()).isTrue();
		assertThat(this.durability.issue()).isEqualTo(1);
		assertThat(this.durability.issue()).isEqualTo(2);
		assertThat(this.durability.allDurable()).isFalse();
		this.durability.markDurable(2);
		assertThat(this.durability.allDurable()).isTrue();
	}

	@Test
	void aCallbackRunsWhenItsTicketIsMarkedDurableAndWakesTheWriterMeanwhile() {
		long ticket = this.durability.issue();
		List<String> ran = new ArrayList<>();
		this.durability.whenDurable(ticket, () -> ran.add("callback"));
		assertThat(ran).isEmpty();
		assertThat(this.wakeUps).hasValue(1);
		assertThat(this.durability.isAwaited()).isTrue();
		this.durability.markDurable(ticket);
		assertThat(ran).containsExactly("callback");
		assertThat(this.durability.isAwaited()).isFalse();
	}

	@Test
	void aCallbackOnATicketAlreadyDurableRunsAtOnceOnTheCallingThread() {
		long ticket = this.durability.issue();
		this.durability.markDurable(ticket);
		AtomicReference<Thread> ranOn = new AtomicReference<>();
		this.durability.whenDurable(ticket, () -> ranOn.set(Thread.currentThread()));
		assertThat(ranOn).hasValue(Thread.currentThread());
		assertThat(this.wakeUps).hasValue(0);
	}

	@Test
	void markingATicketDurableResolvesEveryEarlierTicketButNoLaterOne() {
		long first = this.durability.issue();
		long second = this.durability.issue();
		long third = this.durability.issue();
		List<Long> resolved = new ArrayList<>();
		this.durability.whenDurable(third, () -> resolved.add(third));
		this.durability.whenDurable(first, () -> resolved.add(first));
		this.durability.whenDurable(second, () -> resolved.add(second));
		this.durability.markDurable(second);
		assertThat(resolved).containsExactly(first, second);
		this.durability.markDurable(third);
		assertThat(resolved).containsExactly(first, second, third);
	}

	@Test
	void aFailingCallbackDoesNotKeepTheOthersFromRunning() {
		long ticket = this.durability.issue();
		AtomicInteger ran = new AtomicInteger();
		this.durability.whenDurable(ticket, () -> {
			throw new IllegalStateException("boom");
		});
		this.durability.whenDurable(ticket, ran::incrementAndGet);
		this.durability.markDurable(ticket);
		assertThat(ran).hasValue(1);
	}

	@Test
	void awaitDurableGivesUpAfterItsTimeout() {
		long ticket = this.durability.issue();
		long start = System.nanoTime();
		assertThat(this.durability.awaitDurable(ticket, Duration.ofMillis(50))).isFalse();
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
	}

	@Test
	void awaitDurableReturnsOnceAnotherThreadMarksTheTicket() throws Exception {
		long ticket = this.durability.issue();
		Thread writer = new Thread(() -> this.durability.markDurable(ticket));
		writer.start();
		assertThat(this.durability.awaitDurable(ticket, Duration.ofSeconds(30))).isTrue();
		writer.join();
	}

	@Test
	void aFlushAsksTheWriterNotToLingerUntilEverythingIssuedIsDurable() throws Exception {
		long ticket = this.durability.issue();
		CountDownLatch flushed = new CountDownLatch(1);
		Thread flusher = new Thread(() -> {
			if (this.durability.flush(Duration.ofSeconds(30))) {
				flushed.countDown();
			}
		});
		flusher.start();
		// the flush marks itself awaited under the lock and wakes the writer just after it
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while ((!this.durability.isAwaited() || this.wakeUps.get() == 0) && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(this.durability.isAwaited()).isTrue();
		assertThat(this.wakeUps).hasValue(1);
		this.durability.markDurable(ticket);
		assertThat(flushed.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(this.durability.isAwaited()).isFalse();
		flusher.join();
	}

	@Test
	void aTerminalStateDurableInTimeRunsItsContinuationOnceAndCancelsTheExpiry() {
		long ticket = this.durability.issue();
		AtomicInteger ran = new AtomicInteger();
		this.durability.whenDurableOrTimedOut(newId(), ticket, Duration.ofMinutes(5), this.scheduler,
				ran::incrementAndGet);
		assertThat(ran).hasValue(0);
		assertThat(this.scheduler.getQueue()).hasSize(1);
		this.durability.markDurable(ticket);
		assertThat(ran).hasValue(1);
		assertThat(this.scheduler.getQueue()).isEmpty();
	}

	@Test
	void aTerminalStateNotDurableInTimeRunsItsContinuationOnceAtTheTimeout() throws Exception {
		long ticket = this.durability.issue();
		AtomicInteger ran = new AtomicInteger();
		CountDownLatch expired = new CountDownLatch(1);
		this.durability.whenDurableOrTimedOut(newId(), ticket, Duration.ofMillis(20), this.scheduler, () -> {
			ran.incrementAndGet();
			expired.countDown();
		});
		assertThat(expired.await(30, TimeUnit.SECONDS)).isTrue();
		this.durability.markDurable(ticket);
		assertThat(ran).hasValue(1);
		assertThat(this.durability.isAwaited()).isFalse();
	}

	@Test
	void withItsSchedulerShutDownTheCallingThreadWaitsForTheTerminalState() {
		this.scheduler.shutdown();
		long ticket = this.durability.issue();
		AtomicReference<Thread> ranOn = new AtomicReference<>();
		long start = System.nanoTime();
		this.durability.whenDurableOrTimedOut(newId(), ticket, Duration.ofMillis(50), this.scheduler,
				() -> ranOn.set(Thread.currentThread()));
		assertThat(ranOn).hasValue(Thread.currentThread());
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
	}

}
