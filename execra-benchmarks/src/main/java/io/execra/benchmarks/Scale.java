package io.execra.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.ExecraSettings;
import io.execra.JobHandle;

/**
 * Scale: N concurrent {@code sleep 600} jobs (max-concurrent N). Heap growth (used heap after a full GC, with every
 * job running, minus before) and live platform threads, then the time from cancelling all to all processes dead
 * and all jobs finalized. The baseline starts the same processes with {@link ProcessBuilder}, one drain thread each
 * (what reading their output takes without execra), and destroys them.
 */
final class Scale implements Benchmark {

	@Override
	public String name() {
		return "scale";
	}

	@Override
	public void run(BenchmarkOptions options, Report report) throws Exception {
		int jobs = options.scaleJobs();
		System.out.printf("scale: %d concurrent sleep 600 jobs (store %s, virtual threads %s)%n", jobs,
				options.store().name(), options.virtualThreads());
		Samples heap = new Samples();
		Samples threads = new Samples();
		Samples rawHeap = new Samples();
		Samples rawThreads = new Samples();
		Samples finalized = new Samples();
		Samples started = new Samples();
		BenchmarkOptions fewer = new BenchmarkOptions(Math.min(3, options.rounds()), 0, options.only(),
				options.store(), options.virtualThreads(), options.spawnJobs(), options.outputLines(),
				options.latencySeconds(), jobs);
		Rounds.Result dead = Rounds.alternate(fewer, "ms cancel→dead",
				() -> execra(options, jobs, heap, threads, finalized, started), () -> raw(jobs, rawHeap, rawThreads));
		long grace = ExecraSettings.DEFAULT_CANCEL_GRACE_PERIOD.toMillis();
		report.add(new Report.Row("scale " + jobs + " × sleep 600: heap growth with all running", "MB",
				heap.median(), rawHeap.median(), Report.Better.LOWER, "≤ 200 MB", Report.atMost(heap.median(), 200),
				Report.percent(heap.spread())));
		report.add(new Report.Row("scale " + jobs + " × sleep 600: live platform threads", "threads",
				threads.median(), rawThreads.median(), Report.Better.LOWER, "–", "–", Report.percent(threads.spread())));
		report.add(new Report.Row("scale " + jobs + " × sleep 600: spawn → all running", "ms", started.median(),
				Double.NaN, Report.Better.LOWER, "–", "–", Report.percent(started.spread())));
		report.add(new Report.Row("scale " + jobs + " × sleep 600: cancel all → all dead", "ms",
				dead.execra().median(), dead.baseline().median(), Report.Better.LOWER,
				"≤ grace + 1 s = " + (grace + 1000) + " ms", Report.atMost(dead.execra().median(), grace + 1000),
				Report.percent(dead.execra().spread())));
		report.add(new Report.Row("scale " + jobs + " × sleep 600: cancel all → all finalized", "ms",
				finalized.median(), Double.NaN, Report.Better.LOWER, "–", "–", Report.percent(finalized.spread())));
	}

	private static double execra(BenchmarkOptions options, int jobs, Samples heap, Samples threads,
			Samples finalized, Samples started) throws Exception {
		long heapBefore = usedHeapAfterGc();
		int threadsBefore = liveThreads();
		try (ExecraRuntime runtime = Runtimes.builder(options).maxConcurrent(jobs).queueCapacity(jobs).build()) {
			long spawnStart = System.nanoTime();
			List<JobHandle> handles = new ArrayList<>(jobs);
			for (int i = 0; i < jobs; i++) {
				handles.add(runtime.spawn(Command.of("sleep", "600")));
			}
			List<Long> pids = new ArrayList<>(jobs);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			for (JobHandle handle : handles) {
				pids.add(awaitPid(handle, deadline));
			}
			started.add((System.nanoTime() - spawnStart) / 1e6);
			heap.add((usedHeapAfterGc() - heapBefore) / 1e6);
			threads.add(liveThreads() - threadsBefore);
			long start = System.nanoTime();
			for (JobHandle handle : handles) {
				handle.cancel();
			}
			long dead = ProcFs.awaitDead(pids, start, TimeUnit.SECONDS.toNanos(60));
			for (JobHandle handle : handles) {
				handle.await();
			}
			finalized.add((System.nanoTime() - start) / 1e6);
			if (dead < 0) {
				throw new IllegalStateException(ProcFs.alive(pids) + " sleep processes alive 60 s after cancel");
			}
			return dead / 1e6;
		}
	}

	private static double raw(int jobs, Samples heap, Samples threads) throws Exception {
		long heapBefore = usedHeapAfterGc();
		int threadsBefore = liveThreads();
		List<Process> processes = new ArrayList<>(jobs);
		List<Thread> drains = new ArrayList<>(jobs);
		for (int i = 0; i < jobs; i++) {
			Process process = RawProcesses.builder(List.of("sleep", "600")).start();
			processes.add(process);
			Thread drain = new Thread(() -> {
				try {
					RawProcesses.drain(process.getInputStream());
				}
				catch (java.io.IOException ex) {
					// the process was destroyed
				}
			});
			drain.setDaemon(true);
			drain.start();
			drains.add(drain);
		}
		heap.add((usedHeapAfterGc() - heapBefore) / 1e6);
		threads.add(liveThreads() - threadsBefore);
		List<Long> pids = processes.stream().map(Process::pid).toList();
		long start = System.nanoTime();
		processes.forEach(Process::destroy);
		long dead = ProcFs.awaitDead(pids, start, TimeUnit.SECONDS.toNanos(60));
		for (Process process : processes) {
			process.waitFor();
		}
		for (Thread drain : drains) {
			drain.join();
		}
		return dead / 1e6;
	}

	private static long awaitPid(JobHandle handle, long deadline) throws InterruptedException {
		while (System.nanoTime() < deadline) {
			Long pid = handle.snapshot().pid();
			if (pid != null) {
				return pid;
			}
			Thread.sleep(1);
		}
		throw new IllegalStateException("job " + handle.id() + " did not start within 60 s of the first spawn");
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private static int liveThreads() {
		return ManagementFactory.getThreadMXBean().getThreadCount();
	}

}
