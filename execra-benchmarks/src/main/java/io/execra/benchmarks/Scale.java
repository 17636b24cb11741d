package io.execra.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.execra.ExecraSettings;
import org.jspecify.annotations.Nullable;

/**
 * Scale: N concurrent {@code sleep 600} processes held by execra (one job each, {@code maxConcurrent} N), by raw
 * {@link ProcessBuilder} (one drain thread each: what reading their output takes without execra) and by NuProcess
 * (the peer: pipes on a few epoll threads), for each size of {@code --scale-jobs} in turn. Per side and round: the
 * time from the first spawn until every process runs, the busy threads beyond the idle side (execra: its runtime
 * built, nothing spawned; the others: nothing started; idle pool workers not counted), the heap growth (used heap after a full GC with all running,
 * minus before the side was set up), then cancel all: the time until every process is dead (read from
 * {@code /proc}, zombies count as dead) and until the API reports all finished.
 * <p>
 * A size this machine cannot hold for a side (pids, the open-files limit; see {@link ScaleLimits}) is not started for
 * that side: a line says why. After each round every process the JVM still has as a descendant is killed, and the
 * run fails if one survives; the sleeps end by themselves after 600 s should the JVM die.
 * <p>
 * Which output pump execra used shows in the threads per job and their names, printed for each side. To compare
 * pumps, name them with {@code --pump} once the runtime has a setting to choose one (see {@link Runtimes}).
 */
final class Scale implements Benchmark {

	/** The size of the round that measures a side's threads and files per job when the worst case would not fit. */
	private static final int PROBE_JOBS = 50;

	/** The most threads and file descriptors per job assumed before one is measured. */
	private static final double WORST_PER_JOB = 4;

	/** The cost per job each side showed in its last round: {threads, files}. */
	private final Map<String, double[]> costs = new LinkedHashMap<>();

	@Override
	public String name() {
		return "scale";
	}

	@Override
	public void run(BenchmarkOptions options, Report report) throws Exception {
		String nuProcess = options.scalePeer() ? Fleet.Nu.unusable() : "left out with --scale-peer false";
		if (nuProcess != null) {
			System.out.println("scale: no NuProcess peer rows: " + nuProcess);
			report.note("scale: no NuProcess peer rows: " + nuProcess);
		}
		Thread sweeper = new Thread(Scale::sweep, "scale-sweeper");
		Runtime.getRuntime().addShutdownHook(sweeper);
		try {
			for (int jobs : options.scaleJobs()) {
				runSize(options, report, jobs, nuProcess == null);
			}
		}
		finally {
			Runtime.getRuntime().removeShutdownHook(sweeper);
		}
	}

	private void runSize(BenchmarkOptions options, Report report, int jobs, boolean withNuProcess) throws Exception {
		int rounds = (jobs > 1000) ? 1 : options.scaleRounds();
		System.out.printf(Locale.ROOT, "scale: %,d concurrent sleep 600 (store %s, virtual threads %s, %d round%s"
				+ " per side, no warm-up); %s%n", jobs, options.store().name(), options.virtualThreads(), rounds,
				(rounds == 1) ? "" : "s", ScaleLimits.describe());
		List<Side> sides = new ArrayList<>();
		for (String pump : options.pumps()) {
			sides.add(new Side("execra (pump " + pump + ")", () -> new Fleet.Execra(options, pump, jobs)));
		}
		sides.add(new Side("ProcessBuilder", Fleet.Raw::new));
		if (withNuProcess) {
			sides.add(new Side("NuProcess", Fleet.Nu::new));
		}
		List<Side> runnable = new ArrayList<>();
		for (Side side : sides) {
			String refusal = refusal(side, jobs);
			if (refusal != null) {
				String line = String.format(Locale.ROOT, "scale: cannot run %s at %,d jobs because %s", side.name(),
						jobs, refusal);
				System.out.println(line);
				report.note(line);
				side.refused = true;
			}
			else {
				runnable.add(side);
			}
		}
		List<Rounds.Side> rounded = new ArrayList<>();
		for (Side side : runnable) {
			rounded.add(new Rounds.Side(side.name(), 0, () -> side.round(jobs)));
		}
		if (!rounded.isEmpty()) {
			Rounds.alternate(options.withRounds(rounds, 0), "ms cancel→dead", rounded);
		}
		for (Side side : runnable) {
			this.costs.put(side.name(), new double[] { side.threads.median() / jobs, side.files.median() / jobs });
		}
		addRows(report, jobs, sides);
	}

	/** Why a side cannot hold this many jobs here, measuring its cost per job first if the worst case does not fit. */
	private @Nullable String refusal(Side side, int jobs) throws Exception {
		double[] cost = this.costs.get(side.name());
		if (cost == null) {
			if (ScaleLimits.refusal(jobs, WORST_PER_JOB, WORST_PER_JOB) == null) {
				return null;
			}
			side.round(PROBE_JOBS);
			cost = new double[] { side.threads.max() / PROBE_JOBS, side.files.max() / PROBE_JOBS };
			side.clear();
			System.out.printf(Locale.ROOT, "scale: %s holds %.2f threads and %.2f files per job (a %d-job probe)%n",
					side.name(), cost[0], cost[1], PROBE_JOBS);
		}
		return ScaleLimits.refusal(jobs, cost[0], cost[1]);
	}

	private static void addRows(Report report, int jobs, List<Side> sides) {
		String prefix = String.format(Locale.ROOT, "scale %,d × sleep 600: ", jobs);
		Side raw = find(sides, "ProcessBuilder");
		Side nu = find(sides, "NuProcess");
		long grace = ExecraSettings.DEFAULT_CANCEL_GRACE_PERIOD.toMillis();
		int threadBound = 4 * Runtime.getRuntime().availableProcessors() + 16;
		int heapBound = (jobs >= 10_000) ? 300 : 200;
		for (Side execra : sides) {
			if (!execra.name().startsWith("execra")) {
				continue;
			}
			String who = execra.name().replace("execra ", "");
			for (Side baseline : new Side[] { raw, nu }) {
				if (baseline == null || (baseline == nu && baseline.refused)) {
					continue;
				}
				String beside = (baseline == raw) ? "" : ", beside NuProcess (peer)";
				if (baseline == nu && execra.refused) {
					report.add(new Report.Row(prefix + "busy threads beyond the idle side " + who + beside, "threads", Double.NaN,
							nu.threads.median(), Report.Better.LOWER, "–", "execra not run", "–"));
					continue;
				}
				report.add(new Report.Row(prefix + "busy threads beyond the idle side " + who + beside, "threads",
						execra.threads.median(), baseline.threads.median(), Report.Better.LOWER,
						(baseline == raw) ? "≤ 4 × cores + 16 = " + threadBound : "–",
						(baseline == raw) ? verdict(execra, Report.atMost(execra.threads.median(), threadBound)) : "–",
						Report.percent(execra.threads.spread())));
				report.add(new Report.Row(prefix + "heap growth with all running " + who + beside, "MB",
						execra.heap.median(), baseline.heap.median(), Report.Better.LOWER,
						(baseline == raw) ? "≤ " + heapBound + " MB" : "–",
						(baseline == raw) ? verdict(execra, Report.atMost(execra.heap.median(), heapBound)) : "–",
						Report.percent(execra.heap.spread())));
				report.add(new Report.Row(prefix + "spawn → all running " + who + beside, "ms",
						execra.started.median(), baseline.started.median(), Report.Better.LOWER, "–", "–",
						Report.percent(execra.started.spread())));
				report.add(new Report.Row(prefix + "cancel all → all dead " + who + beside, "ms",
						execra.dead.median(), baseline.dead.median(), Report.Better.LOWER,
						(baseline == raw) ? "≤ grace + 1 s = " + (grace + 1000) + " ms" : "–",
						(baseline == raw) ? verdict(execra, Report.atMost(execra.dead.median(), grace + 1000)) : "–",
						Report.percent(execra.dead.spread())));
				if (baseline == raw) {
					report.add(new Report.Row(prefix + "cancel all → all finalized " + who + " (baseline: reaped)",
							"ms", execra.finished.median(), raw.finished.median(), Report.Better.LOWER, "–", "–",
							Report.percent(execra.finished.spread())));
				}
			}
		}
	}

	private static String verdict(Side side, String verdict) {
		return side.refused ? "cannot run here" : verdict;
	}

	private static @Nullable Side find(List<Side> sides, String name) {
		return sides.stream().filter((side) -> side.name().equals(name)).findFirst().orElse(null);
	}

	/** A way of holding the processes, with its figures over the rounds. */
	private static final class Side {

		private final String name;

		private final FleetFactory factory;

		private final Samples heap = new Samples();

		private final Samples threads = new Samples();

		private final Samples files = new Samples();

		private final Samples started = new Samples();

		private final Samples dead = new Samples();

		private final Samples finished = new Samples();

		private boolean refused;

		private boolean threadsShown;

		Side(String name, FleetFactory factory) {
			this.name = name;
			this.factory = factory;
		}

		String name() {
			return this.name;
		}

		void clear() {
			for (Samples samples : new Samples[] { this.heap, this.threads, this.files, this.started, this.dead,
					this.finished }) {
				samples.dropFirst(samples.size());
			}
		}

		/** One round; returns the time from cancel to all dead in ms. */
		double round(int jobs) throws Exception {
			long heapBefore = usedHeapAfterGc();
			try (Fleet fleet = this.factory.create()) {
				int threadsBefore = settledBusyThreads();
				long filesBefore = ScaleLimits.openFiles();
				long start = System.nanoTime();
				List<Long> pids = fleet.startAll(jobs, start + TimeUnit.SECONDS.toNanos(60 + jobs / 50));
				this.started.add((System.nanoTime() - start) / 1e6);
				this.threads.add(busyThreads() - threadsBefore);
				this.files.add(ScaleLimits.openFiles() - filesBefore);
				if (!this.threadsShown && jobs != PROBE_JOBS) {
					this.threadsShown = true;
					System.out.printf(Locale.ROOT, "  %s, %,d running: %.2f busy threads per job beyond the idle side;"
							+ " thread names (digits dropped) held by ≥ 10%% of the jobs: %s%n", this.name, jobs,
							(double) (busyThreads() - threadsBefore) / jobs, threadGroups(jobs / 10));
				}
				this.heap.add((usedHeapAfterGc() - heapBefore) / 1e6);
				long cancel = System.nanoTime();
				fleet.cancelAll();
				long dead = ProcFs.awaitDead(pids, cancel, TimeUnit.SECONDS.toNanos(60));
				if (dead < 0) {
					throw new IllegalStateException(ProcFs.alive(pids) + " of " + this.name
							+ "'s sleep processes alive 60 s after cancel");
				}
				fleet.awaitFinished();
				this.finished.add((System.nanoTime() - cancel) / 1e6);
				this.dead.add(dead / 1e6);
				if (jobs != PROBE_JOBS) {
					// a side's own figures as soon as it has them: at thousands of jobs the slowest side can take longer
					// than a session has, and the summary rows come only after every side's round
					System.out.printf(Locale.ROOT, "  %s, %,d jobs: spawn → all running %,.0f ms, %,d busy threads and"
							+ " %,d files beyond the idle side, heap growth %.1f MB, cancel → all dead %,.0f ms,"
							+ " → finished %,.0f ms%n", this.name, jobs, this.started.last(), (long) this.threads.last(),
							(long) this.files.last(), this.heap.last(), this.dead.last(), this.finished.last());
				}
				return dead / 1e6;
			}
			finally {
				sweep();
			}
		}

	}

	@FunctionalInterface
	private interface FleetFactory {

		Fleet create() throws Exception;

	}

	/**
	 * Kills every {@code sleep 600} this JVM still has as a descendant (only the scale benchmark starts them; execra's
	 * shared kill shell is left alone) and fails if one survives 10 s.
	 */
	static void sweep() {
		List<ProcessHandle> left = ProcessHandle.current().descendants().filter(Scale::isSleep).toList();
		left.forEach(ProcessHandle::destroyForcibly);
		List<Long> pids = left.stream().map(ProcessHandle::pid).toList();
		if (ProcFs.awaitDead(pids, System.nanoTime(), TimeUnit.SECONDS.toNanos(10)) < 0) {
			throw new IllegalStateException(ProcFs.alive(pids) + " sleep processes of the scale benchmark survived"
					+ " SIGKILL: " + pids.stream().filter((pid) -> ProcFs.alive(List.of(pid)) > 0).limit(20).toList());
		}
		if (!left.isEmpty()) {
			System.out.printf(Locale.ROOT, "  killed %,d sleep processes left after the round%n", left.size());
		}
	}

	private static boolean isSleep(ProcessHandle process) {
		try {
			String[] argv = new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
					StandardCharsets.UTF_8).split("\u0000");
			return argv.length == Fleet.SLEEP.size() && Path.of(argv[0]).getFileName().toString().equals("sleep")
					&& argv[1].equals(Fleet.SLEEP.get(1));
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Platform threads that do something: the live ones less the idle workers of thread pools, which linger for up
	 * to a minute after a round (the JDK's process reapers, execra's) and would otherwise count for the next side.
	 */
	private static int busyThreads() {
		int busy = 0;
		for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
			if (!isIdlePoolWorker(stack)) {
				busy++;
			}
		}
		return busy;
	}

	/**
	 * Busy threads once their number held still for half a second (at most 30 s): threads of the previous round
	 * that are still ending would otherwise count as the idle side's.
	 */
	private static int settledBusyThreads() throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		int last = busyThreads();
		int still = 0;
		while (still < 2 && System.nanoTime() < deadline) {
			Thread.sleep(250);
			int now = busyThreads();
			still = (now == last) ? still + 1 : 0;
			last = now;
		}
		return last;
	}

	private static boolean isIdlePoolWorker(StackTraceElement[] stack) {
		for (StackTraceElement frame : stack) {
			if (frame.getClassName().equals("java.util.concurrent.ThreadPoolExecutor")
					&& frame.getMethodName().equals("getTask")) {
				return true;
			}
		}
		return false;
	}

	private static String threadGroups(int atLeast) {
		Map<String, Integer> groups = new TreeMap<>();
		for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
			if (isIdlePoolWorker(thread.getValue())) {
				continue;
			}
			groups.merge(thread.getKey().getName().replaceAll("\\d+$", "…"), 1, Integer::sum);
		}
		groups.values().removeIf((count) -> count < Math.max(1, atLeast));
		return groups.isEmpty() ? "none" : groups.toString();
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}


}
