package io.execra.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Measured values of one figure, with order statistics. Not thread-safe.
 */
final class Samples {

	private final List<Double> values = new ArrayList<>();

	void add(double value) {
		this.values.add(value);
	}

	void addAll(Samples other) {
		this.values.addAll(other.values);
	}

	void dropFirst(int count) {
		this.values.subList(0, Math.min(count, this.values.size())).clear();
	}

	int size() {
		return this.values.size();
	}

	double median() {
		return percentile(50);
	}

	/** @return the value added last, or NaN without samples */
	double last() {
		return this.values.isEmpty() ? Double.NaN : this.values.get(this.values.size() - 1);
	}

	double min() {
		return this.values.isEmpty() ? Double.NaN : Collections.min(this.values);
	}

	double max() {
		return this.values.isEmpty() ? Double.NaN : Collections.max(this.values);
	}

	/**
	 * The percentile by the nearest-rank method.
	 * @param p from 0 to 100
	 * @return the value, or NaN without samples
	 */
	double percentile(double p) {
		if (this.values.isEmpty()) {
			return Double.NaN;
		}
		List<Double> sorted = new ArrayList<>(this.values);
		Collections.sort(sorted);
		int rank = (int) Math.ceil(p / 100.0 * sorted.size());
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
	}

	/**
	 * Spread of the samples relative to their median, as a noise indicator.
	 * @return (max - min) / median
	 */
	double spread() {
		double median = median();
		return (median == 0) ? 0 : (max() - min()) / median;
	}

}
