package io.execra.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * Spawn throughput: N {@code /bin/true} jobs at concurrency 1 and 8. execra spawns them all at once and lets its
 * max-concurrent limit and queue pace them; the baseline runs the same processes from a fixed pool of that many
 * threads, each draining and awaiting its process; the physical limit is {@link NativeSpawnLoop}, the same
 * {@code posix_spawn} execra makes, from a C loop with the same number of threads.
 */
final class SpawnThroughput implements Benchmark {

	/** Set to {@code true} (as CI does) to fail rather than skip the native row where it cannot be built. */
	static final String REQUIRE_NATIVE = "EXECRA_BENCHMARK_REQUIRE_NATIVE_SPAWN";

	private static final String PROGRAM = "/bin/true";

	private static final List<String> ARGV = List.of(PROGRAM);

	@Override
	public String name() {
		return "spawn";
	}

	@Override
	public void run(BenchmarkOptions options, Report report) throws Exception {
		NativeSpawnLoop nativeLoop = null;
		try {
			nativeLoop = NativeSpawnLoop.build();
			System.out.println("spawn: native posix_spawn loop " + nativeLoop.description());
		}
		catch (NativeSpawnLoop.Unavailable ex) {
			if (Boolean.parseBoolean(System.getenv(REQUIRE_NATIVE))) {
				throw new IllegalStateException("The native posix_spawn loop cannot be built and " + REQUIRE_NATIVE
						+ " is set: " + ex.getMessage(), ex);
			}
			report.note("spawn: no native posix_spawn row, the loop cannot be built here: " + ex.getMessage());
		}
		try {
			for (int concurrency : new int[] { 1, 8 }) {
				run(options, report, concurrency, nativeLoop);
			}
		}
		finally {
			if (nativeLoop != null) {
				nativeLoop.close();
			}
		}
	}

	private static void run(BenchmarkOptions options, Report report, int concurrency,
			@Nullable NativeSpawnLoop nativeLoop) throws Exception {
		int jobs = options.spawnJobs();
		System.out.printf("spawn: %d x /bin/true at concurrency %d (store %s)%n", jobs, concurrency,
				options.store().name());
		List<Rounds.Side> sides = new ArrayList<>();
		sides.add(new Rounds.Side("execra", options.warmups(), () -> execra(options, concurrency, jobs)));
		sides.add(new Rounds.Side("ProcessBuilder", options.warmups(), () -> raw(concurrency, jobs)));
		if (nativeLoop != null) {
			// C needs no JIT warm-up: one round brings the binary and the program into the page cache
			sides.add(new Rounds.Side("native", Math.min(1, options.warmups()),
					() -> nativeLoop.run(PROGRAM, jobs, concurrency)));
		}
		List<Samples> samples = Rounds.alternate(options, "jobs/s", sides);
		Samples execra = samples.get(0);
		Samples raw = samples.get(1);
		String name = "spawn /bin/true, concurrency " + concurrency + ", store " + options.store().name();
		double ratio = execra.median() / raw.median();
		report.add(new Report.Row(name, "jobs/s", execra.median(), raw.median(), Report.Better.HIGHER, "≥ 1.50×",
				Report.atLeast(ratio, 1.50), Report.percent(execra.spread())));
		if (nativeLoop == null) {
			return;
		}
		Samples loop = samples.get(2);
		double toNative = execra.median() / loop.median();
		boolean targeted = concurrency == 1;
		report.add(new Report.Row(name + ", vs native posix_spawn loop", "jobs/s", execra.median(), loop.median(),
				Report.Better.HIGHER, targeted ? "≥ 0.85×" : "–", targeted ? Report.atLeast(toNative, 0.85) : "–",
				Report.percent(execra.spread()) + " (native " + Report.percent(loop.spread()) + ")"));
		System.out.printf(Locale.ROOT,
				"  side by side, concurrency %d: native %s, ProcessBuilder %s, execra %s jobs/s; execra %s native,"
						+ " %s ProcessBuilder; spread native %s, ProcessBuilder %s, execra %s%n",
				concurrency, Report.number(loop.median()), Report.number(raw.median()), Report.number(execra.median()),
				Report.ratio(toNative), Report.ratio(ratio), Report.percent(loop.spread()),
				Report.percent(raw.spread()), Report.percent(execra.spread()));
	}

	private static double execra(BenchmarkOptions options, int concurrency, int jobs) throws Exception {
		try (ExecraRuntime runtime = Runtimes.builder(options).maxConcurrent(concurrency)
			.queueCapacity(jobs)
			.maxInMemoryJobs(jobs)
			.build()) {
			long start = System.nanoTime();
			List<JobHandle> handles = new ArrayList<>(jobs);
			for (int i = 0; i < jobs; i++) {
				handles.add(runtime.spawn(Command.of(PROGRAM)));
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
