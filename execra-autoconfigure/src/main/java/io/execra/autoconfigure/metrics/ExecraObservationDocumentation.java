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
	 * Low-cardinality keys: tags of the metrics an observation handler derives, and of spans.
	 */
	public enum LowCardinalityKeys implements KeyName {

		/** The runtime's name. */
		RUNTIME("execra.runtime"),

		/** {@code succeeded}, {@code failed} or {@code cancelled}. */
		OUTCOME("execra.outcome"),

		/** The failure reason's kind, {@code none} otherwise. */
		REASON("execra.reason");

		private final String key;

		LowCardinalityKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
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
