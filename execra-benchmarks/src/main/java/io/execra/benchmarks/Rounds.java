package io.execra.benchmarks;

import java.util.Locale;

/**
 * Runs execra and its baseline in alternating rounds (A B, B A, A B, ...), after warm-up rounds of both, so that
 * drifts in the load of a shared machine hit both sides alike.
 */
final class Rounds {

	/** One measured round, returning the figure. */
	@FunctionalInterface
	interface Round {

		double run() throws Exception;

	}

	/**
	 * The samples of both sides.
	 * @param execra execra's figures
	 * @param baseline the baseline's figures
	 */
	record Result(Samples execra, Samples baseline) {
	}

	private Rounds() {
	}

	static Result alternate(BenchmarkOptions options, String unit, Round execra, Round baseline) throws Exception {
		for (int i = 0; i < options.warmups(); i++) {
			execra.run();
			baseline.run();
		}
		Samples a = new Samples();
		Samples b = new Samples();
		for (int round = 0; round < options.rounds(); round++) {
			double x;
			double y;
			if (round % 2 == 0) {
				x = execra.run();
				y = baseline.run();
			}
			else {
				y = baseline.run();
				x = execra.run();
			}
			a.add(x);
			b.add(y);
			System.out.printf(Locale.ROOT, "  round %d: execra %s %s, baseline %s %s%n", round + 1, Report.number(x), unit,
					Report.number(y), unit);
		}
		return new Result(a, b);
	}

}
