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
 * @param scaleJobs the sizes of the scale benchmark: concurrent jobs, each size run in turn
 * @param scaleRounds measured rounds per side at each scale size
 * @param pumps the output pumps the scale benchmark runs execra with, each as a side of its own
 * @param scalePeer whether the scale benchmark runs NuProcess as a peer side where it can
 */
record BenchmarkOptions(int rounds, int warmups, Set<String> only, StoreFactory store, boolean virtualThreads,
		int spawnJobs, int outputLines, int latencySeconds, List<Integer> scaleJobs, int scaleRounds,
		List<String> pumps, boolean scalePeer) {

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
		List<Integer> scaleJobs = List.of(1000, 10_000);
		int scaleRounds = 3;
		List<String> pumps = List.of(Runtimes.DEFAULT_PUMP);
		boolean scalePeer = true;
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
				case "--scale-jobs" -> scaleJobs = positives(arg, required(arg, value, ++i));
				case "--scale-rounds" -> scaleRounds = Integer.parseInt(required(arg, value, ++i));
				case "--pump" -> pumps = Runtimes.pumps(required(arg, value, ++i));
				case "--scale-peer" -> scalePeer = Boolean.parseBoolean(required(arg, value, ++i));
				case "--quick" -> {
					rounds = 3;
					spawnJobs = 500;
					outputLines = 1_000_000;
					latencySeconds = 2;
					scaleJobs = List.of(100);
					scaleRounds = 2;
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
				latencySeconds, scaleJobs, scaleRounds, pumps, scalePeer);
	}

	private static List<Integer> positives(String option, String value) {
		List<Integer> numbers = new java.util.ArrayList<>();
		for (String part : value.split(",")) {
			int number;
			try {
				number = Integer.parseInt(part.strip().replace("_", ""));
			}
			catch (NumberFormatException ex) {
				number = 0;
			}
			if (number < 1) {
				throw new IllegalArgumentException("Option " + option + " takes positive numbers separated by commas,"
						+ " not '" + value + "'");
			}
			numbers.add(number);
		}
		return List.copyOf(numbers);
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
				  --scale-jobs N[,N]    concurrent sleep jobs in the scale benchmark, each size in turn
				                        (default 1000,10000; a size this machine cannot hold is skipped
				                        with the reason printed)
				  --scale-rounds N      measured rounds per side at each scale size (default 3; 1 above 1000)
				  --pump P[,P]          the output pump(s) execra runs with in the scale benchmark, each a side
				                        of its own (default: auto, what the runtime picks; known: %s)
				  --scale-peer B        run NuProcess as a peer side of the scale benchmark (default true;
				                        its fork slows down as its JVM grows: thousands take many minutes)
				  --quick               fewer rounds and smaller sizes, for a smoke run""".formatted(Runtimes.KNOWN_PUMPS);
	}

	/**
	 * These options with other round counts.
	 * @param measured measured rounds per side
	 * @param warmUp warm-up rounds per side
	 * @return the options
	 */
	BenchmarkOptions withRounds(int measured, int warmUp) {
		return new BenchmarkOptions(measured, warmUp, this.only, this.store, this.virtualThreads, this.spawnJobs,
				this.outputLines, this.latencySeconds, this.scaleJobs, this.scaleRounds, this.pumps, this.scalePeer);
	}

	boolean runs(String benchmark) {
		return this.only.isEmpty() || this.only.contains(benchmark);
	}

}
