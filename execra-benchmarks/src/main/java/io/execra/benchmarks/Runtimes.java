package io.execra.benchmarks;

import java.util.List;

import io.execra.ExecraRuntime;
import io.execra.ExecraRuntimeBuilder;

/**
 * Builds the execra runtime a benchmark round uses, with the run's store and thread choice, and, for the scale
 * benchmark, the output pump.
 */
final class Runtimes {

	/** What the runtime picks by itself: the pump of a user who sets nothing. */
	static final String DEFAULT_PUMP = "auto";

	/**
	 * The pumps {@code --pump} accepts. Today's runtime has one pump (two threads per job reading its pipes, one
	 * reaping it) and no setting to choose it, so only {@code auto}. The hook for an event-loop pump: once the
	 * builder has a setting for it, add its names here and apply them in {@link #builder(BenchmarkOptions, String)};
	 * the scale benchmark then runs each pump named with {@code --pump} as a side of its own in the same rounds.
	 */
	static final List<String> KNOWN_PUMPS = List.of(DEFAULT_PUMP);

	private Runtimes() {
	}

	static ExecraRuntimeBuilder builder(BenchmarkOptions options) {
		return builder(options, DEFAULT_PUMP);
	}

	static ExecraRuntimeBuilder builder(BenchmarkOptions options, String pump) {
		ExecraRuntimeBuilder builder = ExecraRuntime.builder()
			.store(options.store().create())
			.virtualThreads(options.virtualThreads());
		if (!pump.equals(DEFAULT_PUMP)) {
			throw new IllegalArgumentException("Unknown pump '" + pump + "' (known: " + KNOWN_PUMPS + ")");
		}
		return builder;
	}

	static List<String> pumps(String value) {
		List<String> pumps = List.of(value.split(","));
		for (String pump : pumps) {
			if (!KNOWN_PUMPS.contains(pump)) {
				throw new IllegalArgumentException("Unknown pump '" + pump + "' (known: " + KNOWN_PUMPS
						+ "; this runtime has no setting to choose another)");
			}
		}
		return pumps;
	}

}
