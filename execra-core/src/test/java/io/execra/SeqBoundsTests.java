package io.execra;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads after the largest seq there is: nothing comes after it, whether the job is in memory or only in the store.
 */
class SeqBoundsTests {

	private final ExecraRuntime runtime = ExecraRuntime.builder().maxInMemoryJobs(1).build();

	@AfterEach
	void close() {
		this.runtime.close();
	}

	@Test
	void outputAfterTheLargestSeqIsEmpty() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("printf", "one\\ntwo\\n"));
		job.await();
		OutputPage page = this.runtime.output(job.id(), Long.MAX_VALUE, 1024, Duration.ZERO);
		assertThat(page.chunks()).isEmpty();
		assertThat(page.missedFrom()).isZero();
		assertThat(page.nextSeq()).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void eventsAfterTheLargestSeqAreNone() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("printf", "one\\ntwo\\n"));
		job.await();
		assertThat(this.runtime.events(job.id(), Long.MAX_VALUE, 100)).isEmpty();
		assertThat(this.runtime.events(job.id(), 0, 100)).isNotEmpty();
	}

	@Test
	void outputOfAStoredJobAfterTheLargestSeqMissesNothing() throws Exception {
		JobHandle evicted = this.runtime.spawn(Command.of("printf", "one\\n"));
		evicted.await();
		this.runtime.spawn(Command.of("true")).await();
		this.runtime.spawn(Command.of("true")).await();
		OutputPage page = this.runtime.output(evicted.id(), Long.MAX_VALUE, 1024, Duration.ZERO);
		assertThat(page.chunks()).isEmpty();
		assertThat(page.missedFrom()).isZero();
	}

}
