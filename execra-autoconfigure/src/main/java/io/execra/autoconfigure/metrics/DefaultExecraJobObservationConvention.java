package io.execra.autoconfigure.metrics;

import io.execra.Outcome;
import io.execra.autoconfigure.metrics.ExecraObservationDocumentation.HighCardinalityKeys;
import io.execra.autoconfigure.metrics.ExecraObservationDocumentation.LowCardinalityKeys;
import io.micrometer.common.KeyValues;

/**
 * The default {@link ExecraJobObservationConvention}: the observation {@code execra.job}, contextual name
 * {@code execra job}, tagged with the runtime, and once the job is finalized with its outcome and failure reason (so
 * the long task timer of running jobs carries the runtime only); the job id only as a high-cardinality key.
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
		KeyValues runtime = KeyValues.of(LowCardinalityKeys.RUNTIME.withValue(context.getRuntimeName()));
		Outcome outcome = context.getJob().outcome();
		if (!context.isFinalized() || outcome == null) {
			return runtime;
		}
		String reason = (outcome instanceof Outcome.Failed failed) ? failed.reason().kind() : "none";
		return runtime.and(LowCardinalityKeys.OUTCOME.withValue(outcome.kind()),
				LowCardinalityKeys.REASON.withValue(reason));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ExecraJobObservationContext context) {
		return KeyValues.of(HighCardinalityKeys.JOB_ID.withValue(context.getJob().id().toString()));
	}

}
