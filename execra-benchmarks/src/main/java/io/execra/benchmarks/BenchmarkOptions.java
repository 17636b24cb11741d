package io.execra.benchmarks;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Command-line options of the benchmark run.
 *
 * @param rounds measured rounds per benchmark and side (execra, baseline), alternated
 * @param warmups warm-up rounds per side, not measured
 * @param only benchmarks to run (empty: all)
 * @param store the job store execra uses
 * @param virtualThreads whether execra's job threads are virtual (where the JDK has them)
 * @param spawnJobs jobs per spawn-throughput round
 * @param outputLines lines per output-throughput round
 * @param latencySeconds seconds of output per latency round
 * @param scaleJobs concurrent jobs of the scale benchmark
 */
record BenchmarkOptions(int rounds, int warmups, Set<String> only, StoreFactory store, boolean virtualThreads,
		int spawnJobs, int outputLines, int latencySeconds, int scaleJobs) {

	static final List<String> ALL = List.of("spawn", "output", "latency", "scale", "cancel");

	static BenchmarkOptions parse(String[] args) {
		int rounds = 5;
		// execra's pump path is still recompiled by C2 during the first three rounds (-XX:+PrintCompilation): the
		// figures are of the steady state a long-running application sees
		int warmups = 3;
		Set<String> only = new LinkedHashSet<>();
		StoreFactory store = StoreFactory.MEMORY;
		boolean virtualThreads = Runtime.version().feature() >= 21;
		int spawnJobs = 2000;
		int outputLines = 5_000_000;
		int latencySeconds = 5;
		int scaleJobs = 1000;
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			String value = (i + 1 < args.length) ? args[i + 1] : null;
			switch (arg) {
				case "--rounds" -> rounds = Integer.parseInt(required(arg, value, ++i));
				case "--warmups" -> warmups = Integer.parseInt(required(arg, value, ++i));
				case "--only" -> only.addAll(List.of(required(arg, value, ++i).split(",")));
				case "--store" -> {
					String name = required(arg, value, ++i);
					store = StoreFactory.known().get(name);
					if (store == null) {
						throw new IllegalArgumentException("Unknown store '" + name + "' (known: "
								+ StoreFactory.known().keySet() + "; the JPA store is measured by JobThroughputBenchmarkTests)");
					}
				}
				case "--virtual-threads" -> virtualThreads = Boolean.parseBoolean(required(arg, value, ++i));
				case "--spawn-jobs" -> spawnJobs = Integer.parseInt(required(arg, value, ++i));
				case "--output-lines" -> outputLines = Integer.parseInt(required(arg, value, ++i));
				case "--latency-seconds" -> latencySeconds = Integer.parseInt(required(arg, value, ++i));
				case "--scale-jobs" -> scaleJobs = Integer.parseInt(required(arg, value, ++i));
				case "--quick" -> {
					rounds = 3;
					spawnJobs = 500;
					outputLines = 1_000_000;
					latencySeconds = 2;
					scaleJobs = 200;
				}
				case "--help", "-h" -> {
					System.out.println(usage());
					System.exit(0);
				}
				default -> throw new IllegalArgumentException("Unknown option '" + arg + "'\n" + usage());
			}
		}
		for (String name : only) {
			if (!ALL.contains(name)) {
				throw new IllegalArgumentException("Unknown benchmark '" + name + "' (known: " + ALL + ")");
			}
		}
		return new BenchmarkOptions(rounds, warmups, only, store, virtualThreads, spawnJobs, outputLines,
				latencySeconds, scaleJobs);
	}

	private static String required(String option, String value, int index) {
		if (value == null) {
			throw new IllegalArgumentException("Option " + option + " needs a value");
		}
		return value;
	}

	static String usage() {
		return """
				Usage: java -jar execra-benchmarks.jar [options]
				  --only spawn,output,latency,scale,cancel   benchmarks to run (default: all)
				  --rounds N            measured rounds per side, alternated execra/baseline (default 5)
				  --warmups N           warm-up rounds per side (default 3)
				  --store memory        the JobStore execra writes to (JPA: JobThroughputBenchmarkTests)
				  --virtual-threads B   execra job threads virtual (default: true on JDK 21+)
				  --spawn-jobs N        jobs per spawn round (default 2000)
				  --output-lines N      lines per output round (default 5000000)
				  --latency-seconds N   seconds per latency round at 1000 lines/s (default 5)
				  --scale-jobs N        concurrent sleep jobs in the scale benchmark (default 1000)
				  --quick               fewer rounds and smaller sizes, for a smoke run""";
	}

	boolean runs(String benchmark) {
		return this.only.isEmpty() || this.only.contains(benchmark);
	}

}
