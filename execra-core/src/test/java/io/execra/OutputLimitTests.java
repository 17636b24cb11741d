package io.execra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.execra.support.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job printing 1 GB stays within the memory bound under every output-limit strategy.
 */
class OutputLimitTests {

	private static final long GIGABYTE = 1_000_000_000L;

	private static final long LIMIT = 10L * 1024 * 1024;

	private static final long HEAP_BOUND = 48L * 1024 * 1024;

	private static final String ONE_GIGABYTE = "yes 'a line of output for the limit tests, about one hundred bytes long, repeated until one gigabyte' | head -c "
			+ GIGABYTE;

	private long runMeasuringHeap(JobHandle job) throws Exception {
		long baseline = usedHeapAfterGc();
		long peak = baseline;
		while (!job.outcome().isDone()) {
			Thread.sleep(500);
			peak = Math.max(peak, usedHeapAfterGc());
		}
		return Math.max(peak, usedHeapAfterGc()) - baseline;
	}

	private static long usedHeapAfterGc() {
		return io.execra.support.HeapUsage.liveAfterGc();
	}

	@Test
	void truncateKeepsTheFirstBytesWarnsOnceAndStaysWithinTheMemoryBound() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().outputLimit(LIMIT, OutputLimitStrategy.TRUNCATE).build()) {
			JobHandle job = runtime.spawn(Command.shell(ONE_GIGABYTE));
			long growth = runMeasuringHeap(job);
			report("TRUNCATE", growth);
			assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
			assertThat(growth).isLessThan(HEAP_BOUND);
			List<Event> stored = runtime.events(job.id(), 0, 100);
			assertThat(stored).filteredOn(Event.WarningDetected.class::isInstance)
				.singleElement()
				.satisfies((event) -> assertThat(((Event.WarningDetected) event).code()).isEqualTo("output_truncated"));
			OutputPage page = runtime.output(job.id(), 0, 100, Duration.ZERO);
			assertThat(page.missedFrom()).isPositive();
		}
	}

	@Test
	void failKillsTheJobAndFailsItWithOutputLimitExceeded() throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder().outputLimit(LIMIT, OutputLimitStrategy.FAIL).build()) {
			JobHandle job = runtime.spawn(Command.shell(ONE_GIGABYTE));
			long growth = runMeasuringHeap(job);
			report("FAIL", growth);
			assertThat(job.await()).isEqualTo(new Outcome.Failed(new FailureReason.OutputLimitExceeded(LIMIT)));
			assertThat(growth).isLessThan(HEAP_BOUND);
			assertThat(TestJobs.liveProcessesInGroup(job.snapshot().pid())).isEmpty();
		}
	}

	@Test
	void spillKeepsPublishingAndWritesEverythingToTheLogFile(@TempDir Path dir) throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder()
			.outputLimit(LIMIT, OutputLimitStrategy.SPILL_TO_FILE)
			.rawOutput(RawOutputPolicy.MEMORY, dir)
			.build()) {
			JobHandle job = runtime.spawn(Command.shell(ONE_GIGABYTE));
			long growth = runMeasuringHeap(job);
			report("SPILL_TO_FILE", growth);
			assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
			assertThat(growth).isLessThan(HEAP_BOUND);
			Path log = dir.resolve(job.id() + ".log.gz");
			assertThat(log).exists();
			assertThat(Files.size(log)).isPositive();
			OutputPage last = runtime.output(job.id(), job.snapshot().outputTail() == null ? 0 : 0, 200, Duration.ZERO);
			assertThat(last.chunks()).isNotEmpty();
		}
	}

	private static void report(String strategy, long growth) {
		System.out.printf("1 GB of output with %s (limit %d MiB): heap growth after GC %.1f MB%n", strategy,
				LIMIT / 1024 / 1024, growth / 1e6);
	}

}
