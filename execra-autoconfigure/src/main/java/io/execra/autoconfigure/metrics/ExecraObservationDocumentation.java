package io.execra.autoconfigure.metrics;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of execra: one per job, from the start of its process (or its finalization, for a job that never
 * started) to its finalization, so a tracer shows a span per job.
 */
public enum ExecraObservationDocumentation implements ObservationDocumentation {

	/** A job, from its start to its finalization. */
	JOB {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultExecraJobObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeys.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeys.values();
		}

	};

	/**
	 * Low-cardinality keys: tags of the metrics an observation handler derives, and of spans. They are the tags of
	 * the same names of the other {@link ExecraMetrics}.
	 */
	public enum LowCardinalityKeys implements KeyName {

		/** The runtime's name. */
		RUNTIME(ExecraMetrics.Tags.RUNTIME),

		/** {@code succeeded}, {@code failed} or {@code cancelled}; only once the job is finalized. */
		OUTCOME(ExecraMetrics.Tags.OUTCOME),

		/** The failure reason's kind, {@code none} otherwise; only once the job is finalized. */
		REASON(ExecraMetrics.Tags.REASON);

		private final ExecraMetrics.Tags tag;

		LowCardinalityKeys(ExecraMetrics.Tags tag) {
			this.tag = tag;
		}

		@Override
		public String asString() {
			return this.tag.asString();
		}

	}

	/**
	 * High-cardinality keys: on spans only, never on metrics.
	 */
	public enum HighCardinalityKeys implements KeyName {

		/** The job's id. */
		JOB_ID("execra.job.id");

		private final String key;

		HighCardinalityKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

}
