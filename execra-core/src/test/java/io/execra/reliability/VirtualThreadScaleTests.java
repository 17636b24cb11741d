package io.execra.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * With virtual threads asked for (JDK 21+), more running jobs than the virtual-thread scheduler has carriers
 * (at most 256) must all start, be cancelled and finalize: every job blocks two threads in pipe reads, which a
 * virtual thread cannot do without pinning its carrier.
 */
class VirtualThreadScaleTests {

	private static final int JOBS = 400;

	private ExecraRuntime runtime;

	@AfterEach
	void close() {
		if (this.runtime != null) {
			this.runtime.close();
		}
	}

	@Test
	void moreRunningJobsThanCarrierThreadsAllStartAndCancel() throws Exception {
		assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
		this.runtime = ExecraRuntime.builder()
			.virtualThreads(true)
			.maxConcurrent(JOBS)
			.queueCapacity(JOBS)
			.cancelGracePeriod(Duration.ofSeconds(1))
			.build();
		List<JobHandle> jobs = new ArrayList<>();
		for (int i = 0; i < JOBS; i++) {
			jobs.add(this.runtime.spawn(Command.of("sleep", "60")));
		}
		await().atMost(Duration.ofSeconds(60))
			.until(() -> jobs.stream().allMatch((job) -> job.snapshot().pid() != null));
		jobs.forEach(JobHandle::cancel);
		CompletableFuture.allOf(jobs.stream().map(JobHandle::outcome).toArray(CompletableFuture[]::new))
			.get(30, TimeUnit.SECONDS);
		assertThat(jobs).allSatisfy((job) -> assertThat(job.outcome().get()).isInstanceOf(Outcome.Cancelled.class));
		Serving.assertStillServing(this.runtime);
	}

}
