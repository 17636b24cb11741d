package io.execra.autoconfigure.metrics;

import io.execra.Outcome;
import io.execra.autoconfigure.metrics.ExecraObservationDocumentation.HighCardinalityKeys;
import io.execra.autoconfigure.metrics.ExecraObservationDocumentation.LowCardinalityKeys;
import io.micrometer.common.KeyValues;

/**
 * The default {@link ExecraJobObservationConvention}: the observation {@code execra.job}, contextual name
 * {@code execra job}, tagged with the runtime, outcome and failure reason; the job id only as a high-cardinality key.
 */
public class DefaultExecraJobObservationConvention implements ExecraJobObservationConvention {

	/** The observation's name. */
	public static final String NAME = "execra.job";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(ExecraJobObservationContext context) {
		return "execra job";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ExecraJobObservationContext context) {
		Outcome outcome = context.getJob().outcome();
		String reason = (outcome instanceof Outcome.Failed failed) ? failed.reason().kind() : "none";
		return KeyValues.of(LowCardinalityKeys.RUNTIME.withValue(context.getRuntimeName()),
				LowCardinalityKeys.OUTCOME.withValue((outcome != null) ? outcome.kind() : "unknown"),
				LowCardinalityKeys.REASON.withValue(reason));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ExecraJobObservationContext context) {
		return KeyValues.of(HighCardinalityKeys.JOB_ID.withValue(context.getJob().id().toString()));
	}

}
