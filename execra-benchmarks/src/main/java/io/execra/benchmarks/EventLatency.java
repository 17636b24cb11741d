package io.execra.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.execra.Command;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;

/**
 * Event latency: a writer process prints one line per millisecond, each line being the writer's
 * {@code CLOCK_MONOTONIC} reading in nanoseconds taken just before the {@code write(2)}; the subscriber subtracts it
 * from {@link System#nanoTime()} (the same clock on Linux) when the line is delivered. The figure covers the whole
 * path: pipe, pump wake-up, decoding, the event log, the subscriber's wake-up. The baseline is the same writer read
 * with a raw {@link BufferedReader} loop, so the pipe and wake-up cost common to both is visible. The first 10% of
 * each round is discarded as warm-up.
 */
final class EventLatency implements Benchmark {

	private static final int RATE = 1000;

	private static final String WRITER = """
			import os, sys, time
			count = int(sys.argv[1]); period = 1_000_000_000 // int(sys.argv[2])
			out = sys.stdout.fileno(); start = time.monotonic_ns()
			for i in range(count):
			    due = start + i * period
			    now = time.monotonic_ns()
			    if due > now:
			        time.sleep((due - now) / 1e9)
			    os.write(out, b"%d\\n" % time.monotonic_ns())
			""";

	@Override
	public String name() {
		return "latency";
	}

	@Override
	public void run(BenchmarkOptions options, Report report) throws Exception {
		Path script = Files.createTempFile("execra-latency-writer", ".py");
		try {
			Files.writeString(script, WRITER);
			String python = new File("/usr/bin/python3").canExecute() ? "/usr/bin/python3" : "python3";
			int lines = options.latencySeconds() * RATE;
			List<String> argv = List.of(python, script.toString(), Integer.toString(lines), Integer.toString(RATE));
			System.out.printf("latency: %d lines at %d lines/s, line written -> delivered (store %s)%n", lines, RATE,
					options.store().name());
			Samples execraP50 = new Samples();
			Samples execraP99 = new Samples();
			Samples rawP50 = new Samples();
			Samples rawP99 = new Samples();
			Samples globalP50 = new Samples();
			Samples globalP99 = new Samples();
			// three sides in rotation: the job's stream, the all-jobs subscription, the raw reader
			for (int round = -options.warmups(); round < options.rounds(); round++) {
				for (int side = 0; side < 3; side++) {
					int which = (side + Math.max(round, 0)) % 3;
					// a collection left over from earlier benchmarks must not land in one side's window
					System.gc();
					long gcBefore = gcMillis();
					Samples samples = (which == 2) ? raw(argv, lines) : execra(options, argv, lines, which == 1);
					long gc = gcMillis() - gcBefore;
					if (round < 0) {
						continue;
					}
					Samples p50 = (which == 0) ? execraP50 : (which == 1) ? globalP50 : rawP50;
					Samples p99 = (which == 0) ? execraP99 : (which == 1) ? globalP99 : rawP99;
					p50.add(samples.median());
					p99.add(samples.percentile(99));
					System.out.printf(java.util.Locale.ROOT,
							"  round %d: %s p50 %.0f µs, p99 %.0f µs, max %.0f µs (GC %d ms during the round)%n",
							round + 1, (which == 0) ? "handle.events()" : (which == 1) ? "subscribe()" : "raw",
							samples.median(), samples.percentile(99), samples.max(), gc);
				}
			}
			report.add(new Report.Row("event latency p50, handle.events(), 1000 lines/s", "µs", execraP50.median(),
					rawP50.median(), Report.Better.LOWER, "–", "–", Report.percent(execraP50.spread())));
			report.add(new Report.Row("event latency p99, handle.events(), 1000 lines/s", "µs", execraP99.median(),
					rawP99.median(), Report.Better.LOWER, "≤ 2 ms", Report.atMost(execraP99.median(), 2000),
					Report.percent(execraP99.spread())));
			report.add(new Report.Row("event latency p50, runtime.subscribe() (all jobs)", "µs", globalP50.median(),
					rawP50.median(), Report.Better.LOWER, "–", "–", Report.percent(globalP50.spread())));
			report.add(new Report.Row("event latency p99, runtime.subscribe() (all jobs)", "µs", globalP99.median(),
					rawP99.median(), Report.Better.LOWER, "≤ 2 ms", Report.atMost(globalP99.median(), 2000),
					Report.percent(globalP99.spread())));
			report.note("Spring @EventListener latency (target ≤ 5 ms) needs a Spring context: it is measured by"
					+ " EventListenerLatencyBenchmarkTests in execra-autoconfigure (see docs/performance.md).");
		}
		finally {
			Files.deleteIfExists(script);
		}
	}

	/** Reads the job's own stream, or the all-jobs subscription, on this thread. */
	private static Samples execra(BenchmarkOptions options, List<String> argv, int lines, boolean global)
			throws Exception {
		Samples samples = new Samples();
		try (ExecraRuntime runtime = Runtimes.builder(options).build()) {
			EventStream all = global ? runtime.subscribe() : null;
			JobHandle handle = runtime.spawn(Command.of(argv.get(0), argv.subList(1, argv.size())));
			int seen = 0;
			try (EventStream events = global ? all : handle.events()) {
				while (true) {
					Event event = events.next(Duration.ofSeconds(30));
					if (event == null || event instanceof Event.Finalized) {
						break;
					}
					if (event instanceof Event.OutputAppended output) {
						double micros = latencyMicros(output.line());
						if (seen++ >= lines / 10) {
							samples.add(micros);
						}
					}
				}
			}
		}
		return samples;
	}

	private static Samples raw(List<String> argv, int lines) throws Exception {
		Samples samples = new Samples();
		Process process = RawProcesses.builder(argv).start();
		int seen = 0;
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				double micros = latencyMicros(line);
				if (seen++ >= lines / 10) {
					samples.add(micros);
				}
			}
		}
		process.waitFor();
		return samples;
	}

	private static long gcMillis() {
		long total = 0;
		for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory
			.getGarbageCollectorMXBeans()) {
			total += Math.max(0, gc.getCollectionTime());
		}
		return total;
	}

	private static double latencyMicros(String line) {
		return (System.nanoTime() - Long.parseLong(line.trim())) / 1000.0;
	}

}
