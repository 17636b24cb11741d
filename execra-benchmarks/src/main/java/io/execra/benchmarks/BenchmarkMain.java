package io.execra.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Runs execra's benchmarks, each beside a baseline measured in the same process and run, and prints a Markdown
 * table of medians and ratios. See {@code docs/performance.md}.
 */
public final class BenchmarkMain {

	private BenchmarkMain() {
	}

	/**
	 * Entry point.
	 * @param args see {@link BenchmarkOptions#usage()}
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		BenchmarkOptions options = BenchmarkOptions.parse(args);
		printMachine(options);
		Report report = new Report(System.out);
		List<Benchmark> benchmarks = List.of(new SpawnThroughput(), new OutputThroughput(), new EventLatency(),
				new Scale(), new CancellationLatency());
		for (Benchmark benchmark : benchmarks) {
			if (options.runs(benchmark.name())) {
				benchmark.run(options, report);
			}
		}
		report.note("The JPA store's spawn throughput (H2, PostgreSQL) is measured by JobThroughputBenchmarkTests in"
				+ " execra-autoconfigure, and persisted events/s on PostgreSQL beside a plain JDBC batch by"
				+ " PersistedEventsBenchmarkTests there (EXECRA_BENCHMARK=true; see docs/performance.md): both need"
				+ " Spring and a database, which this harness does not carry.");
		report.print();
		options.store().close();
	}

	private static void printMachine(BenchmarkOptions options) {
		Runtime runtime = Runtime.getRuntime();
		long memory = -1;
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemTotal:")) {
					memory = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
				}
			}
		}
		catch (Exception ex) {
			// not Linux
		}
		System.out.printf(Locale.ROOT, "Machine: %d processors (nproc), %,d MB memory, %s %s%n",
				runtime.availableProcessors(), memory, System.getProperty("os.name"), System.getProperty("os.arch"));
		System.out.printf(Locale.ROOT, "JDK: %s (%s), max heap %,d MB, args %s%n", System.getProperty("java.version"),
				System.getProperty("java.vm.name"), runtime.maxMemory() / (1024 * 1024),
				ManagementFactory.getRuntimeMXBean().getInputArguments());
		System.out.printf(Locale.ROOT, "Load average at start: %.2f; rounds %d (+%d warm-up), store %s, virtual threads %s%n",
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), options.rounds(), options.warmups(),
				options.store().name(), options.virtualThreads());
	}

}
