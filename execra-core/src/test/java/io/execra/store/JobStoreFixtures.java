package io.execra.store;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.execra.CommandSpec;
import io.execra.Event;
import io.execra.ExitStatus;
import io.execra.FailureReason;
import io.execra.Finding;
import io.execra.Job;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.Progress;
import io.execra.Severity;
import org.jspecify.annotations.Nullable;

/**
 * Builders of jobs and events for {@link JobStoreContractTests}. Every instant is whole milliseconds: stores keep
 * times to the millisecond at least.
 */
public final class JobStoreFixtures {

	/** A fixed point in time the fixtures count from. */
	public static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

	private JobStoreFixtures() {
	}

	/**
	 * An instant {@code seconds} after {@link #T0}.
	 * @param seconds the offset
	 * @return the instant
	 */
	public static Instant at(long seconds) {
		return T0.plusSeconds(seconds).truncatedTo(ChronoUnit.MILLIS);
	}

	/**
	 * A new random job id.
	 * @return the id
	 */
	public static JobId newId() {
		return new JobId(UUID.randomUUID());
	}

	/**
	 * A command spec as the runtime records it.
	 * @param program the program
	 * @param owner the owner, or {@code null}
	 * @param tags the tags
	 * @return the spec
	 */
	public static CommandSpec command(String program, @Nullable String owner, Set<String> tags) {
		return new CommandSpec("exec", program, List.of("--flag", "value with spaces"), List.of("HOME"), List.of(),
				false, "/tmp", "none", "Label of " + program, tags, Duration.ofMinutes(5), owner,
				Map.of("ticket", "EX-1"));
	}

	/**
	 * A queued job.
	 * @param id the id
	 * @param node the node
	 * @param createdAt the creation time
	 * @param owner the owner, or {@code null}
	 * @param tags the tags
	 * @return the job
	 */
	public static Job queued(JobId id, String node, Instant createdAt, @Nullable String owner, String... tags) {
		CommandSpec command = command("sleep", owner, Set.of(tags));
		return new Job(id, command, JobState.QUEUED, command.label(), Set.of(tags), Progress.UNKNOWN, null, createdAt,
				null, null, null, null, null, null, node);
	}

	/**
	 * The same job, running.
	 * @param job the job
	 * @param startedAt the start time
	 * @return the running job
	 */
	public static Job running(Job job, Instant startedAt) {
		return new Job(job.id(), job.command(), JobState.RUNNING, job.label(), job.tags(), Progress.fraction(0.25),
				new io.execra.Phase(1, "download", "Downloading"), job.createdAt(), startedAt, null, 4242L, null, null,
				null, job.node());
	}

	/**
	 * The same job, exited but not finalized.
	 * @param job the job
	 * @return the exited job
	 */
	public static Job exited(Job job) {
		return new Job(job.id(), job.command(), JobState.EXITED, job.label(), job.tags(), job.progress(), null,
				job.createdAt(), job.startedAt(), null, job.pid(), ExitStatus.ofCode(0), null, null, job.node());
	}

	/**
	 * The same job, finalized.
	 * @param job the job
	 * @param outcome the outcome
	 * @param finishedAt the finish time
	 * @return the finalized job
	 */
	public static Job finalized(Job job, Outcome outcome, Instant finishedAt) {
		ExitStatus exit = (outcome instanceof Outcome.Failed) ? ExitStatus.ofCode(3) : ExitStatus.ofCode(0);
		return new Job(job.id(), job.command(), JobState.FINALIZED, "Done", job.tags(), Progress.count(10, 10), null,
				job.createdAt(), job.startedAt(), finishedAt, job.pid(), exit, outcome, "last line\n", job.node());
	}

	/**
	 * A succeeded outcome with a summary.
	 * @return the outcome
	 */
	public static Outcome succeeded() {
		return new Outcome.Succeeded("all good", List.of());
	}

	/**
	 * A failed outcome.
	 * @return the outcome
	 */
	public static Outcome failed() {
		return new Outcome.Failed(new FailureReason.NonZeroExit(3));
	}

	/**
	 * A finalized job created and finished at the given offsets from {@link #T0}.
	 * @param node the node
	 * @param createdSecond the creation offset in seconds
	 * @param finishedSecond the finish offset in seconds
	 * @param outcome the outcome
	 * @param tags the tags
	 * @return the job
	 */
	public static Job done(String node, long createdSecond, long finishedSecond, Outcome outcome, String... tags) {
		return finalized(queued(newId(), node, at(createdSecond), null, tags), outcome, at(finishedSecond));
	}

	/**
	 * A finding of the given severity and code.
	 * @param severity the severity
	 * @param code the code
	 * @param at when
	 * @return the finding
	 */
	public static Finding finding(Severity severity, String code, Instant at) {
		return new Finding(severity, code, "About " + code, null, null, at);
	}

	/**
	 * The events of a typical successful job, one of each stored kind plus an output line, seq 1 to n.
	 * @param id the job
	 * @return the events
	 */
	public static List<Event> history(JobId id) {
		return List.of(new Event.JobCreated(id, 1, at(0), command("sleep", null, Set.of())),
				new Event.JobStarted(id, 2, at(1), 4242), new Event.PhaseEntered(id, 3, at(2), 1, "download", null),
				new Event.PhaseUpdated(id, 4, at(2), 1, "50%"),
				new Event.ProgressUpdated(id, 5, at(3), Progress.bytes(5_000_000, 10_000_000L)),
				new Event.LabelUpdated(id, 6, at(3), "Downloading"),
				new Event.WarningDetected(id, 7, at(4), "slow", "Slow mirror"),
				new Event.FindingEmitted(id, 8, at(4), finding(Severity.WARNING, "outdated", at(4))),
				new Event.PromptDetected(id, 9, at(5), "Continue? [y/N]"),
				new Event.InterpreterError(id, 10, at(5), "rules", "boom", "the line"),
				new Event.KnownErrorDetected(id, 11, at(6), "auth_failed", "Authentication failed"),
				new Event.Cancelled(id, 12, at(6)), new Event.PhaseExited(id, 13, at(7), 1),
				new Event.Exited(id, 14, at(7), ExitStatus.ofSignal(15)),
				new Event.Finalized(id, 15, at(8), new Outcome.Cancelled(List.of())));
	}

}
