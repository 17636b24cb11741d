package io.execra.benchmarks;

import io.execra.ExecraRuntime;
import io.execra.ExecraRuntimeBuilder;

/**
 * Builds the execra runtime a benchmark round uses, with the run's store and thread choice.
 */
final class Runtimes {

	private Runtimes() {
	}

	static ExecraRuntimeBuilder builder(BenchmarkOptions options) {
		return ExecraRuntime.builder().store(options.store().create()).virtualThreads(options.virtualThreads());
	}

}
