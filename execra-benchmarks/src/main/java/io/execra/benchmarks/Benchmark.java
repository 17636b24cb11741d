package io.execra.benchmarks;

/**
 * One benchmark: measures execra and its baseline in the same process, alternating rounds, and adds rows to the
 * report. Benchmarks print figures; they never assert timings.
 */
interface Benchmark {

	/**
	 * The name used with {@code --only}.
	 * @return the name
	 */
	String name();

	/**
	 * Runs the warm-up and measured rounds.
	 * @param options the options
	 * @param report where figures go
	 * @throws Exception on failure
	 */
	void run(BenchmarkOptions options, Report report) throws Exception;

}
