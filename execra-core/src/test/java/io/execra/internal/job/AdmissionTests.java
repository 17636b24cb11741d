package io.execra.internal.job;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.execra.JobRejectedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The concurrency limit: permits up to the limit, a FIFO queue up to its capacity, rejection past it, and a
 * released permit starting the next queued job.
 */
class AdmissionTests {

	private final List<String> started = new CopyOnWriteArrayList<>();

	private Admission<String> admission(int maxConcurrent, int queueCapacity) {
		return new Admission<>(maxConcurrent, queueCapacity, this.started::add);
	}

	private static boolean admit(Admission<String> admission, String job) {
		return admission.admit(job, "command " + job, () -> {
		});
	}

	@Test
	void jobsGetPermitsUpToTheLimitAndQueueBeyondIt() {
		Admission<String> admission = admission(2, 10);
		assertThat(admit(admission, "a")).isTrue();
		assertThat(admit(admission, "b")).isTrue();
		assertThat(admit(admission, "c")).isFalse();
		assertThat(admit(admission, "d")).isFalse();
		assertThat(admission.load()).isEqualTo(new Admission.Load(2, 2));
		assertThat(this.started).as("admit leaves starting a job with a permit to the caller").isEmpty();
	}

	@Test
	void queuedJobsStartInTheOrderTheyWereAdmitted() {
		Admission<String> admission = admission(1, 10);
		admit(admission, "a");
		admit(admission, "b");
		admit(admission, "c");
		admit(admission, "d");
		admission.released("a");
		assertThat(this.started).containsExactly("b");
		admission.released("b");
		admission.released("c");
		assertThat(this.started).containsExactly("b", "c", "d");
		assertThat(admission.load()).isEqualTo(new Admission.Load(1, 0));
	}

	@Test
	void aJobPastAFullQueueIsRejectedWithTheLimitsAndItsCommandLine() {
		Admission<String> admission = admission(1, 2);
		admit(admission, "a");
		admit(admission, "b");
		admit(admission, "c");
		List<String> admitted = new ArrayList<>();
		assertThatExceptionOfType(JobRejectedException.class)
			.isThrownBy(() -> admission.admit("d", "command d", () -> admitted.add("d")))
			.withMessage("Job rejected: the queue is full (2 jobs waiting, queue-capacity 2; 1 running, "
					+ "max-concurrent 1): command d");
		assertThat(admitted).as("a rejected job is never created").isEmpty();
		assertThat(admission.load()).isEqualTo(new Admission.Load(1, 2));
	}

	@Test
	void aDequeuedJobNeverStartsAndLeavesItsPlaceToTheNext() {
		Admission<String> admission = admission(1, 10);
		admit(admission, "a");
		admit(admission, "b");
		admit(admission, "c");
		assertThat(admission.dequeue("b")).isTrue();
		assertThat(admission.dequeue("b")).as("already dequeued").isFalse();
		assertThat(admission.dequeue("a")).as("holds a permit, not queued").isFalse();
		assertThat(admission.load()).isEqualTo(new Admission.Load(1, 1));
		admission.released("a");
		assertThat(this.started).containsExactly("c");
	}

	@Test
	void aReleasedPermitGoesToTheNextQueuedJobOrBackToThePool() {
		Admission<String> admission = admission(1, 10);
		admit(admission, "a");
		admit(admission, "b");
		admission.released("a");
		assertThat(this.started).containsExactly("b");
		assertThat(admission.load()).as("the permit passed to b").isEqualTo(new Admission.Load(1, 0));
		admission.released("b");
		assertThat(admission.load()).isEqualTo(new Admission.Load(0, 0));
		assertThat(admit(admission, "c")).isTrue();
	}

	@Test
	void aPermitIsReleasedOnceAndOnlyByItsHolder() {
		Admission<String> admission = admission(1, 10);
		admit(admission, "a");
		admit(admission, "b");
		admit(admission, "c");
		admission.released("c");
		assertThat(this.started).as("c holds no permit").isEmpty();
		admission.released("a");
		admission.released("a");
		assertThat(this.started).containsExactly("b");
		assertThat(admission.load()).isEqualTo(new Admission.Load(1, 1));
	}

	@Test
	void aQueuedJobCannotStartBeforeItsAdmissionIsComplete() throws Exception {
		Admission<String> admission = admission(1, 10);
		admit(admission, "a");
		List<String> order = new CopyOnWriteArrayList<>();
		Thread releaser = new Thread(() -> {
			admission.released("a");
			order.add("started " + this.started);
		});
		admission.admit("b", "command b", () -> {
			releaser.start();
			awaitParked(releaser);
			order.add("created b");
		});
		releaser.join(TimeUnit.SECONDS.toMillis(10));
		assertThat(order).containsExactly("created b", "started [b]");
	}

	/** Waits until the thread is blocked, here on the admission lock. */
	private static void awaitParked(Thread thread) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(thread.getState()).isEqualTo(Thread.State.WAITING);
	}

}
