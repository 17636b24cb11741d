package io.execra.autoconfigure.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * How a job's observation is named and tagged. Declare a bean of this type to replace
 * {@link DefaultExecraJobObservationConvention}.
 */
public interface ExecraJobObservationConvention extends ObservationConvention<ExecraJobObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ExecraJobObservationContext;
	}

}
