package io.execra.internal.job;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.execra.Event;
import io.execra.ExitStatus;
import io.execra.FailureReason;
import io.execra.Finding;
import io.execra.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * Decides a job's outcome from what happened to it, in execra's order of precedence: a spawn failure, then a
 * cancel, a timeout, the output limit, and finally the exit — success codes, then the last known error, then the
 * signal, then the exit code.
 */
final class OutcomeRules {

	/**
	 * What happened to a job, as seen at finalization.
	 *
	 * @param spawnFailure why the process could not start, or {@code null}
	 * @param cancelled whether cancellation was requested
	 * @param timeout the timeout that expired, or {@code null}
	 * @param outputLimit the output limit that failed the job, or 0
	 * @param exit how the process ended, or {@code null} if never seen
	 * @param successExitCodes the codes that count as success
	 * @param lastKnownError the last known error an interpreter reported, or {@code null}
	 * @param summary the interpreter's summary, or {@code null}
	 * @param findings the findings
	 */
	record Facts(FailureReason.@Nullable SpawnFailed spawnFailure, boolean cancelled, @Nullable Duration timeout,
			long outputLimit, @Nullable ExitStatus exit, Set<Integer> successExitCodes,
			Event.@Nullable KnownErrorDetected lastKnownError, @Nullable String summary, List<Finding> findings) {
	}

	private OutcomeRules() {
	}

	static Outcome decide(Facts facts) {
		List<Finding> findings = List.copyOf(facts.findings());
		if (facts.spawnFailure() != null) {
			return new Outcome.Failed(facts.spawnFailure(), null, findings);
		}
		if (facts.cancelled()) {
			return new Outcome.Cancelled(findings);
		}
		if (facts.timeout() != null) {
			return new Outcome.Failed(new FailureReason.TimedOut(facts.timeout()), facts.summary(), findings);
		}
		if (facts.outputLimit() > 0) {
			return new Outcome.Failed(new FailureReason.OutputLimitExceeded(facts.outputLimit()), facts.summary(),
					findings);
		}
		ExitStatus exit = facts.exit();
		if (exit == null) {
			return new Outcome.Failed(new FailureReason.HostExited("the process was never observed to exit"),
					facts.summary(), findings);
		}
		if (exit.code() != null && facts.successExitCodes().contains(exit.code())) {
			return new Outcome.Succeeded(facts.summary(), findings);
		}
		Event.KnownErrorDetected known = facts.lastKnownError();
		if (known != null) {
			return new Outcome.Failed(new FailureReason.KnownError(known.code(), known.message()), facts.summary(),
					findings);
		}
		if (exit.signal() != null) {
			return new Outcome.Failed(new FailureReason.Signaled(exit.signal()), facts.summary(), findings);
		}
		return new Outcome.Failed(new FailureReason.NonZeroExit(exit.code()), facts.summary(), findings);
	}

}
