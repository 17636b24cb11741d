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
			Rounds.alternate(options, "µs p99", () -> {
				Samples execra = new Samples();
				Samples global = new Samples();
				execra(options, argv, lines, execra, global);
				execraP50.add(execra.median());
				execraP99.add(execra.percentile(99));
				globalP50.add(global.median());
				globalP99.add(global.percentile(99));
				return execra.percentile(99);
			}, () -> {
				Samples raw = raw(argv, lines);
				rawP50.add(raw.median());
				rawP99.add(raw.percentile(99));
				return raw.percentile(99);
			});
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
			report.note("Spring @EventListener latency (target ≤ 5 ms) needs branch autoconf: pending.");
		}
		finally {
			Files.deleteIfExists(script);
		}
	}

	/** Reads the job's stream on this thread and the all-jobs subscription on a second one, at the same time. */
	private static void execra(BenchmarkOptions options, List<String> argv, int lines, Samples job, Samples global)
			throws Exception {
		try (ExecraRuntime runtime = Runtimes.builder(options).build(); EventStream all = runtime.subscribe()) {
			Thread globalReader = new Thread(() -> {
				try {
					while (true) {
						Event event = all.next(Duration.ofSeconds(30));
						if (event == null || event instanceof Event.Finalized) {
							return;
						}
						if (event instanceof Event.OutputAppended output) {
							global.add(latencyMicros(output.line()));
						}
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, "latency-global-reader");
			globalReader.start();
			JobHandle handle = runtime.spawn(Command.of(argv.get(0), argv.subList(1, argv.size())));
			int seen = 0;
			try (EventStream events = handle.events()) {
				while (true) {
					Event event = events.next(Duration.ofSeconds(30));
					if (event == null || event instanceof Event.Finalized) {
						break;
					}
					if (event instanceof Event.OutputAppended output) {
						double micros = latencyMicros(output.line());
						if (seen++ >= lines / 10) {
							job.add(micros);
						}
					}
				}
			}
			globalReader.join(30_000);
			discardWarmup(global, lines);
		}
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

	private static double latencyMicros(String line) {
		return (System.nanoTime() - Long.parseLong(line.trim())) / 1000.0;
	}

	private static void discardWarmup(Samples samples, int lines) {
		// the global reader's samples are kept whole: its first tenth is the same warm-up, but percentiles over
		// 90% of the run are what the job stream reports, so trim the same share here
		if (samples.size() > lines / 10) {
			samples.dropFirst(lines / 10);
		}
	}

}
