package io.execra.benchmarks;

import java.util.List;

import io.execra.ExecraRuntime;
import io.execra.ExecraRuntimeBuilder;
import io.execra.Pump;

/**
 * Builds the execra runtime a benchmark round uses, with the run's store and thread choice, and, for the scale
 * benchmark, the output pump.
 */
final class Runtimes {

	/** What the runtime picks by itself: the pump of a user who sets nothing. */
	static final String DEFAULT_PUMP = "auto";

	/**
	 * The pumps {@code --pump} accepts, as {@code execra.pump} spells them: the scale benchmark runs each pump named
	 * with {@code --pump} as a side of its own in the same rounds.
	 */
	static final List<String> KNOWN_PUMPS = List.of(DEFAULT_PUMP, "event-loop", "threads");

	private Runtimes() {
	}

	static ExecraRuntimeBuilder builder(BenchmarkOptions options) {
		return builder(options, DEFAULT_PUMP);
	}

	static ExecraRuntimeBuilder builder(BenchmarkOptions options, String pump) {
		ExecraRuntimeBuilder builder = ExecraRuntime.builder()
			.store(options.store().create())
			.virtualThreads(options.virtualThreads());
		return builder.pump(pump(pump));
	}

	static List<String> pumps(String value) {
		List<String> pumps = List.of(value.split(","));
		for (String pump : pumps) {
			if (!KNOWN_PUMPS.contains(pump)) {
				throw new IllegalArgumentException("Unknown pump '" + pump + "' (known: " + KNOWN_PUMPS + ")");
			}
		}
		return pumps;
	}

	private static Pump pump(String name) {
		return switch (name) {
			case DEFAULT_PUMP -> Pump.AUTO;
			case "event-loop" -> Pump.EVENT_LOOP;
			case "threads" -> Pump.THREADS;
			default -> throw new IllegalArgumentException("Unknown pump '" + name + "' (known: " + KNOWN_PUMPS + ")");
		};
	}

}
