package io.execra.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;

/**
 * Cancellation latency of a process tree ({@code sh} with two {@code sleep} children): from {@code cancel()} until
 * every process of the tree is dead, and until the job is finalized. One tree respects TERM; the other ignores it,
 * so only the KILL after the grace period (1 s here) ends it. The baseline signals the same tree through
 * {@link ProcessHandle} (TERM to each process, KILL after the same grace when needed).
 */
final class CancellationLatency implements Benchmark {

	private static final Duration GRACE = Duration.ofSeconds(1);

	private static final String RESPECTING = "sleep 600 & sleep 600 & wait";

	private static final String IGNORING = "trap '' TERM; sleep 600 & sleep 600 & wait";

	@Override
	public String name() {
		return "cancel";
	}

	@Override
	public void run(BenchmarkOptions options, Report report) throws Exception {
		for (boolean ignoresTerm : new boolean[] { false, true }) {
			String script = ignoresTerm ? IGNORING : RESPECTING;
			String kind = ignoresTerm ? "TERM-ignoring" : "TERM-respecting";
			System.out.printf("cancel: %s tree, sh -c \"%s\", grace %d ms%n", kind, script, GRACE.toMillis());
			Samples finalized = new Samples();
			Rounds.Result result = Rounds.alternate(options, "ms to dead", () -> execra(options, script, finalized),
					() -> raw(script, ignoresTerm));
			String target = ignoresTerm ? "grace + ≤ 1 s" : "–";
			String verdict = ignoresTerm ? Report.atMost(result.execra().median(), GRACE.toMillis() + 1000) : "–";
			report.add(new Report.Row("cancel " + kind + " tree: cancel() → all dead (grace 1 s)", "ms",
					result.execra().median(), result.baseline().median(), Report.Better.LOWER, target, verdict,
					Report.percent(result.execra().spread())));
			report.add(new Report.Row("cancel " + kind + " tree: cancel() → finalized", "ms", finalized.median(),
					Double.NaN, Report.Better.LOWER, "–", "–", Report.percent(finalized.spread())));
		}
	}

	private static double execra(BenchmarkOptions options, String script, Samples finalized) throws Exception {
		try (ExecraRuntime runtime = Runtimes.builder(options).cancelGracePeriod(GRACE).build()) {
			JobHandle handle = runtime.spawn(Command.shell(script));
			long pgid = awaitPid(handle);
			List<Long> tree = awaitTree(() -> ProcFs.group(pgid));
			long start = System.nanoTime();
			handle.cancel();
			long dead = ProcFs.awaitDead(tree, start, TimeUnit.SECONDS.toNanos(30));
			handle.await();
			finalized.add((System.nanoTime() - start) / 1e6);
			if (dead < 0) {
				throw new IllegalStateException("tree " + tree + " still alive 30 s after cancel");
			}
			return dead / 1e6;
		}
	}

	private static double raw(String script, boolean ignoresTerm) throws Exception {
		Process process = RawProcesses.builder(List.of("sh", "-c", script)).start();
		List<Long> tree = awaitTree(() -> {
			List<Long> pids = new ArrayList<>();
			pids.add(process.pid());
			process.descendants().forEach((p) -> pids.add(p.pid()));
			return pids;
		});
		List<ProcessHandle> handles = new ArrayList<>();
		process.descendants().forEach(handles::add);
		handles.add(process.toHandle());
		long start = System.nanoTime();
		handles.forEach(ProcessHandle::destroy);
		if (ignoresTerm) {
			long deadline = start + GRACE.toNanos();
			while (ProcFs.alive(tree) > 0 && System.nanoTime() < deadline) {
				java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
			}
			handles.forEach(ProcessHandle::destroyForcibly);
		}
		long dead = ProcFs.awaitDead(tree, start, TimeUnit.SECONDS.toNanos(30));
		process.waitFor();
		if (dead < 0) {
			throw new IllegalStateException("raw tree " + tree + " still alive 30 s after destroy");
		}
		return dead / 1e6;
	}

	private static long awaitPid(JobHandle handle) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			Long pid = handle.snapshot().pid();
			if (pid != null) {
				return pid;
			}
			Thread.sleep(1);
		}
		throw new IllegalStateException("job did not start");
	}

	/** Waits until the tree has its three processes (sh and two sleeps). */
	private static List<Long> awaitTree(java.util.function.Supplier<List<Long>> members) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			List<Long> pids = members.get();
			if (pids.size() >= 3) {
				// let sh reach its trap and wait before it is signalled
				Thread.sleep(20);
				return pids;
			}
			Thread.sleep(2);
		}
		throw new IllegalStateException("process tree did not appear");
	}

}
