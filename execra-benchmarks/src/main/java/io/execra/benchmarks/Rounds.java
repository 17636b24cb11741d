package io.execra.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs execra and its baselines in alternating rounds (A B, B A, A B, ...; with three sides A B C, B C A, C A B,
 * ...), after warm-up rounds of each, so that drifts in the load of a shared machine hit every side alike.
 */
final class Rounds {

	/** One measured round, returning the figure. */
	@FunctionalInterface
	interface Round {

		double run() throws Exception;

	}

	/**
	 * One side of a comparison.
	 * @param name how the round lines name it
	 * @param warmups its warm-up rounds, not measured
	 * @param round one round of it
	 */
	record Side(String name, int warmups, Round round) {
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
		List<Samples> samples = alternate(options, unit, List.of(new Side("execra", options.warmups(), execra),
				new Side("baseline", options.warmups(), baseline)));
		return new Result(samples.get(0), samples.get(1));
	}

	/**
	 * Runs the sides' warm-ups, then the measured rounds, each side in each position in turn.
	 * @return the samples of each side, in the order of the sides
	 */
	static List<Samples> alternate(BenchmarkOptions options, String unit, List<Side> sides) throws Exception {
		int warmups = 0;
		for (Side side : sides) {
			warmups = Math.max(warmups, side.warmups());
		}
		for (int i = 0; i < warmups; i++) {
			for (Side side : sides) {
				if (i < side.warmups()) {
					side.round().run();
				}
			}
		}
		int count = sides.size();
		List<Samples> samples = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			samples.add(new Samples());
		}
		double[] figures = new double[count];
		for (int round = 0; round < options.rounds(); round++) {
			for (int position = 0; position < count; position++) {
				int side = (round + position) % count;
				figures[side] = sides.get(side).round().run();
			}
			StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  round %d:", round + 1));
			for (int side = 0; side < count; side++) {
				samples.get(side).add(figures[side]);
				line.append((side == 0) ? " " : ", ").append(sides.get(side).name()).append(' ')
					.append(Report.number(figures[side])).append(' ').append(unit);
			}
			System.out.println(line);
		}
		return samples;
	}

}
