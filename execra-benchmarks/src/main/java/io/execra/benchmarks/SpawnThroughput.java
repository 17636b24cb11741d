package io.execra.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Outcome;

/**
 * Spawn throughput: N {@code /bin/true} jobs at concurrency 1 and 8. execra spawns them all at once and lets its
 * max-concurrent limit and queue pace them; the baseline runs the same processes from a fixed pool of that many
 * threads, each draining and awaiting its process.
 */
final class SpawnThroughput implements Benchmark {

	private static final List<String> ARGV = List.of("/bin/true");

	@Override
	public String name() {
		return "spawn";
	}

	@Override
	public void run(BenchmarkOptions options, Report report) throws Exception {
		for (int concurrency : new int[] { 1, 8 }) {
			int jobs = options.spawnJobs();
			System.out.printf("spawn: %d x /bin/true at concurrency %d (store %s)%n", jobs, concurrency,
					options.store().name());
			Rounds.Result result = Rounds.alternate(options, "jobs/s", () -> execra(options, concurrency, jobs),
					() -> raw(concurrency, jobs));
			Samples execra = result.execra();
			Samples raw = result.baseline();
			double ratio = execra.median() / raw.median();
			report.add(new Report.Row("spawn /bin/true, concurrency " + concurrency + ", store " + options.store().name(),
					"jobs/s", execra.median(), raw.median(), Report.Better.HIGHER, "≥ 0.90×",
					Report.atLeast(ratio, 0.90), Report.percent(execra.spread())));
		}
	}

	private static double execra(BenchmarkOptions options, int concurrency, int jobs) throws Exception {
		try (ExecraRuntime runtime = Runtimes.builder(options).maxConcurrent(concurrency)
			.queueCapacity(jobs)
			.maxInMemoryJobs(jobs)
			.build()) {
			long start = System.nanoTime();
			List<JobHandle> handles = new ArrayList<>(jobs);
			for (int i = 0; i < jobs; i++) {
				handles.add(runtime.spawn(Command.of("/bin/true")));
			}
			for (JobHandle handle : handles) {
				Outcome outcome = handle.await();
				if (!(outcome instanceof Outcome.Succeeded)) {
					throw new IllegalStateException("/bin/true did not succeed: " + outcome);
				}
			}
			long elapsed = System.nanoTime() - start;
			return jobs / (elapsed / 1e9);
		}
	}

	private static double raw(int concurrency, int jobs) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		try {
			long start = System.nanoTime();
			List<Future<Integer>> results = new ArrayList<>(jobs);
			for (int i = 0; i < jobs; i++) {
				results.add(pool.submit(() -> RawProcesses.run(ARGV)));
			}
			for (Future<Integer> result : results) {
				if (result.get() != 0) {
					throw new IllegalStateException("/bin/true failed");
				}
			}
			long elapsed = System.nanoTime() - start;
			return jobs / (elapsed / 1e9);
		}
		finally {
			pool.shutdownNow();
		}
	}

}
