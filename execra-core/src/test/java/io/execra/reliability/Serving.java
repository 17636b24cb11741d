package io.execra.reliability;

import java.util.List;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Outcome;
import io.execra.support.TestJobs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check every reliability test ends with: after the bad input, the runtime still runs an ordinary job.
 */
final class Serving {

	private Serving() {
	}

	static void assertStillServing(ExecraRuntime runtime) throws InterruptedException {
		JobHandle job = runtime.spawn(Command.of("echo", "still serving"));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).isEqualTo(List.of("still serving"));
	}

}
