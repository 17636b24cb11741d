package io.execra.interpret;

/**
 * The part of the job's overall progress a phase covers: entering the phase reports {@code start}, leaving it
 * reports {@code end}, and percentages or byte counts inside it are scaled between the two.
 *
 * @param start the fraction when the phase starts, in {@code [0, 1]}
 * @param end the fraction when the phase ends, in {@code [start, 1]}
 */
public record PhaseRange(double start, double end) {

	/** The whole job: fractions are reported unscaled. */
	public static final PhaseRange FULL = new PhaseRange(0.0, 1.0);

	public PhaseRange {
		if (!(start >= 0.0 && start <= 1.0)) {
			throw new IllegalArgumentException("'start' must be between 0 and 1 but was " + start);
		}
		if (!(end >= start && end <= 1.0)) {
			throw new IllegalArgumentException("'end' must be between start (" + start + ") and 1 but was " + end);
		}
	}

	/**
	 * Scales a fraction of the phase into a fraction of the job.
	 * @param fraction the fraction of the phase, clamped into {@code [0, 1]}
	 * @return the fraction of the job
	 */
	public double scale(double fraction) {
		double clamped = Double.isNaN(fraction) ? 0.0 : Math.max(0.0, Math.min(1.0, fraction));
		return this.start + (this.end - this.start) * clamped;
	}

}
