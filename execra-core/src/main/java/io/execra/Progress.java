package io.execra;

import java.io.Serializable;
import java.util.OptionalDouble;

import org.jspecify.annotations.Nullable;

/**
 * How far a job is. Sealed: {@link Unknown}, {@link Indeterminate}, {@link Fraction}, {@link Count} and
 * {@link Bytes}.
 */
public sealed interface Progress extends Serializable {

	/** Nothing is known about progress. */
	Progress UNKNOWN = new Unknown();

	/**
	 * The progress as a fraction in {@code [0, 1]}, for progress bars.
	 * @return the fraction, or empty when unknown or without a total
	 */
	OptionalDouble asFraction();

	/**
	 * A fraction, clamped into {@code [0, 1]} ({@code NaN} becomes 0).
	 * @param value the fraction
	 * @return the progress
	 */
	static Progress fraction(double value) {
		return new Fraction(value);
	}

	/**
	 * Items done out of a total.
	 * @param done items done
	 * @param total items in all
	 * @return the progress
	 */
	static Progress count(long done, long total) {
		return new Count(done, total);
	}

	/**
	 * Bytes done, with an optional total.
	 * @param done bytes done
	 * @param total bytes in all, or {@code null} when unknown
	 * @return the progress
	 */
	static Progress bytes(long done, @Nullable Long total) {
		return new Bytes(done, total);
	}

	/**
	 * Work is going on, but how much is left is not known.
	 * @param hint an optional text for the UI
	 * @return the progress
	 */
	static Progress indeterminate(@Nullable String hint) {
		return new Indeterminate(hint);
	}

	/** Nothing is known. */
	record Unknown() implements Progress {

		@Override
		public OptionalDouble asFraction() {
			return OptionalDouble.empty();
		}

	}

	/**
	 * Busy, amount unknown.
	 * @param hint optional text for the UI
	 */
	record Indeterminate(@Nullable String hint) implements Progress {

		@Override
		public OptionalDouble asFraction() {
			return OptionalDouble.empty();
		}

	}

	/**
	 * A fraction of the whole.
	 * @param value in {@code [0, 1]}
	 */
	record Fraction(double value) implements Progress {

		public Fraction {
			value = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value));
		}

		@Override
		public OptionalDouble asFraction() {
			return OptionalDouble.of(this.value);
		}

	}

	/**
	 * Items done of a total.
	 * @param done items done
	 * @param total items in all
	 */
	record Count(long done, long total) implements Progress {

		public Count {
			if (done < 0 || total < 0) {
				throw new IllegalArgumentException("'done' and 'total' must not be negative");
			}
		}

		@Override
		public OptionalDouble asFraction() {
			return (this.total > 0) ? OptionalDouble.of(Math.min(1.0, (double) this.done / this.total))
					: OptionalDouble.empty();
		}

	}

	/**
	 * Bytes done, total optional.
	 * @param done bytes done
	 * @param total bytes in all, or {@code null}
	 */
	record Bytes(long done, @Nullable Long total) implements Progress {

		public Bytes {
			if (done < 0 || (total != null && total < 0)) {
				throw new IllegalArgumentException("'done' and 'total' must not be negative");
			}
		}

		@Override
		public OptionalDouble asFraction() {
			return (this.total != null && this.total > 0)
					? OptionalDouble.of(Math.min(1.0, (double) this.done / this.total)) : OptionalDouble.empty();
		}

	}

}
