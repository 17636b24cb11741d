package io.execra.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results of a run: one row per figure, execra beside its baseline, printed as a Markdown table.
 */
final class Report {

	/** How a figure compares: a higher figure is better (throughput) or a lower one is (latency, memory). */
	enum Better {

		HIGHER, LOWER

	}

	/**
	 * One row.
	 * @param benchmark what was run
	 * @param unit the figure's unit
	 * @param execra execra's median
	 * @param baseline the baseline's median, or NaN when there is none
	 * @param better which direction is better
	 * @param target the target as text, e.g. {@code ≥ 0.90×}
	 * @param verdict {@code met}, {@code missed} or a note
	 * @param noise the spread of execra's rounds
	 */
	record Row(String benchmark, String unit, double execra, double baseline, Better better, String target,
			String verdict, String noise) {

		/**
		 * How execra compares to the baseline, as a factor where higher means closer to (or better than) it.
		 * @return execra / baseline for throughput, baseline / execra for costs; NaN without a baseline
		 */
		double ratio() {
			if (Double.isNaN(this.baseline) || this.baseline == 0 || this.execra == 0) {
				return Double.NaN;
			}
			return (this.better == Better.HIGHER) ? this.execra / this.baseline : this.baseline / this.execra;
		}

	}

	private final List<Row> rows = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	private final PrintStream out;

	Report(PrintStream out) {
		this.out = out;
	}

	void add(Row row) {
		this.rows.add(row);
		this.out.println("  => " + format(row));
		this.out.flush();
	}

	void note(String note) {
		this.notes.add(note);
		this.out.println("  note: " + note);
		this.out.flush();
	}

	/** Prints every row as a Markdown table, then the notes. */
	void print() {
		this.out.println();
		this.out.println("| Benchmark | Unit | execra | Baseline | Ratio | Target | Verdict | Spread |");
		this.out.println("|---|---|---:|---:|---:|---|---|---:|");
		for (Row row : this.rows) {
			this.out.println("| " + row.benchmark() + " | " + row.unit() + " | " + number(row.execra()) + " | "
					+ number(row.baseline()) + " | " + ratio(row.ratio()) + " | " + row.target() + " | "
					+ row.verdict() + " | " + row.noise() + " |");
		}
		if (!this.notes.isEmpty()) {
			this.out.println();
			for (String note : this.notes) {
				this.out.println("- " + note);
			}
		}
		this.out.flush();
	}

	private static String format(Row row) {
		return row.benchmark() + ": execra " + number(row.execra()) + " " + row.unit() + ", baseline "
				+ number(row.baseline()) + ", ratio " + ratio(row.ratio()) + " (target " + row.target() + ": "
				+ row.verdict() + ", spread " + row.noise() + ")";
	}

	static String number(double value) {
		if (Double.isNaN(value)) {
			return "–";
		}
		if (Math.abs(value) >= 100) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		if (Math.abs(value) >= 10) {
			return String.format(Locale.ROOT, "%.1f", value);
		}
		return String.format(Locale.ROOT, "%.2f", value);
	}

	static String ratio(double value) {
		return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.2f×", value);
	}

	static String percent(double value) {
		return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.0f%%", value * 100);
	}

	/**
	 * A verdict for a ratio target.
	 * @param ratio the ratio
	 * @param minimum the target
	 * @return met or missed
	 */
	static String atLeast(double ratio, double minimum) {
		return Double.isNaN(ratio) ? "n/a" : (ratio >= minimum) ? "met" : "missed";
	}

	/**
	 * A verdict for an upper bound.
	 * @param value the figure
	 * @param maximum the bound
	 * @return met or missed
	 */
	static String atMost(double value, double maximum) {
		return Double.isNaN(value) ? "n/a" : (value <= maximum) ? "met" : "missed";
	}

}
