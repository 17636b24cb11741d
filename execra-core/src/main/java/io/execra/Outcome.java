package io.execra;

import java.io.Serializable;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The final result of a job. Sealed: {@link Succeeded}, {@link Failed} or {@link Cancelled}.
 */
public sealed interface Outcome extends Serializable {

	/**
	 * Findings collected while the job ran, in order.
	 * @return the findings
	 */
	List<Finding> findings();

	/**
	 * A one-line message: the summary if the interpreter gave one, otherwise a description of the outcome.
	 * @return the message
	 */
	String message();

	/**
	 * A short snake_case name ({@code succeeded}, {@code failed}, {@code cancelled}), used as a metric tag.
	 * @return the name
	 */
	String kind();

	/**
	 * Whether this is a {@link Succeeded}.
	 * @return {@code true} on success
	 */
	default boolean isSuccess() {
		return this instanceof Succeeded;
	}

	/**
	 * The job succeeded.
	 * @param summary optional summary from the interpreter
	 * @param findings the findings
	 */
	record Succeeded(@Nullable String summary, List<Finding> findings) implements Outcome {

		public Succeeded {
			findings = List.copyOf(findings);
		}

		@Override
		public String message() {
			return (this.summary != null) ? this.summary : "succeeded";
		}

		@Override
		public String kind() {
			return "succeeded";
		}

	}

	/**
	 * The job failed.
	 * @param reason why
	 * @param summary optional summary from the interpreter
	 * @param findings the findings
	 */
	record Failed(FailureReason reason, @Nullable String summary, List<Finding> findings) implements Outcome {

		public Failed {
			Checks.notNull(reason, "reason");
			findings = List.copyOf(findings);
		}

		/**
		 * A failure with no summary and no findings.
		 * @param reason why
		 */
		public Failed(FailureReason reason) {
			this(reason, null, List.of());
		}

		@Override
		public String message() {
			return (this.summary != null) ? this.summary : this.reason.describe();
		}

		@Override
		public String kind() {
			return "failed";
		}

	}

	/**
	 * The job was cancelled. The summary is dropped; findings made before the cancel are kept.
	 * @param findings the findings
	 */
	record Cancelled(List<Finding> findings) implements Outcome {

		public Cancelled {
			findings = List.copyOf(findings);
		}

		@Override
		public String message() {
			return "cancelled";
		}

		@Override
		public String kind() {
			return "cancelled";
		}

	}

}
