package io.execra;

import java.io.Serializable;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Something that happened to a job. Sealed: one record per kind, each with the job's id, a sequence number
 * ({@code seq}, strictly increasing per job from 1, without gaps) and a timestamp.
 * <p>
 * Order within a job: {@link JobCreated}, {@link JobStarted}, output and interpreter events, [{@link Cancelled}],
 * {@link Exited}, on-exit interpreter events, {@link PhaseExited} for open phases, {@link Finalized}. A spawn
 * failure is {@link JobCreated} then {@link Finalized}.
 * <p>
 * {@link Lagged} is not part of a job's history: it is a delivery signal a subscriber receives instead of events
 * it fell too far behind to get.
 */
public sealed interface Event extends Serializable {

	/**
	 * The job the event belongs to.
	 * @return the job id
	 */
	JobId jobId();

	/**
	 * The event's position in its job, from 1.
	 * @return the sequence number
	 */
	long seq();

	/**
	 * When the event happened.
	 * @return the timestamp
	 */
	Instant at();

	/**
	 * The snake_case kind used as JSON discriminator, e.g. {@code output_appended}.
	 * @return the kind
	 */
	String kind();

	/**
	 * Whether this is the terminal event of a job.
	 * @return {@code true} for {@link Finalized}
	 */
	default boolean isTerminal() {
		return this instanceof Finalized;
	}

	/**
	 * The job was accepted by {@code spawn}; it is queued or about to start.
	 *
	 * @param jobId the job
	 * @param seq position in the job
	 * @param at when
	 * @param command what will run
	 */
	record JobCreated(JobId jobId, long seq, Instant at, CommandSpec command) implements Event {

		@Override
		public String kind() {
			return "job_created";
		}

	}

	/**
	 * The process started.
	 *
	 * @param jobId the job
	 * @param seq position in the job
	 * @param at when
	 * @param pid its process id (also its process group id where groups are used)
	 */
	record JobStarted(JobId jobId, long seq, Instant at, long pid) implements Event {

		@Override
		public String kind() {
			return "job_started";
		}

	}

	/**
	 * An interpreter entered a phase.
	 *
	 * @param jobId the job
	 * @param seq position in the job
	 * @param at when
	 * @param phase the phase id, unique within the job
	 * @param name the phase name
	 * @param label optional text
	 */
	record PhaseEntered(JobId jobId, long seq, Instant at, int phase, String name, @Nullable String label) implements Event {

		@Override
		public String kind() {
			return "phase_entered";
		}

	}

	/**
	 * An interpreter changed the label of the current phase.
	 *
	 * @param jobId the job
	 * @param seq position in the job
	 * @param at when
	 * @param phase the phase id
	 * @param label the new label
	 */
	record PhaseUpdated(JobId jobId, long seq, Instant at, int phase, String label) implements Event {

		@Override
		public String kind() {
			return "phase_updated";
		}

	}

	/**
	 * A phase ended.
	 *
	 * @param jobId the job
	 * @param seq position in the job
	 * @param at when
	 * @param phase the phase id
	 */
	record PhaseExited(JobId jobId, long seq, Instant at, int phase) implements Event {

		@Override
		public String kind() {
			return "phase_exited";
		}

	}

	/**
	 * The job's progress changed.
	 *
	 * @param jobId the job
	 * @param seq position in the job
	 * @param at when
	 * @param progress the new progress
	 */
	record ProgressUpdated(JobId jobId, long seq, Instant at, Progress progress) implements Event {

		@Override
		public String kind() {
			return "progress_updated";
		}

	}

	/**
	 * The job's label changed.
	 *
	 * @param jobId the job
	 * @param seq position in the job
	 * @param at when
	 * @param label the new label
	 */
	record LabelUpdated(JobId jobId, long seq, Instant at, String label) implements Event {

		@Override
		public String kind() {
			return "label_updated";
		}

	}

	/**
	 * The process printed a line (lossy UTF-8, without its line terminator). Never written to a database.
	 *
	 * @param jobId the job
	 * @param seq position in the job
	 * @param at when
	 * @param stream stdout or stderr
	 * @param line the text
	 * @param split whether the line was longer than the maximum line length and continues in the next event
	 */
	record OutputAppended(JobId jobId, long seq, Instant at, StdStream stream, String line, boolean split) implements Event {

		@Override
		public String kind() {
			return "output_appended";
		}

	}

	/**
	 * An interpreter recognised a warning, or the runtime warns (e.g. output truncated).
	 *
	 * @param jobId the job
	 * @param seq position in the job
	 * @param at when
	 * @param code optional code
	 * @param message the text
	 */
	record WarningDetected(JobId jobId, long seq, Instant at, @Nullable String code, String message) implements Event {

		@Override
		public String kind() {
			return "warning_detected";
		}

	}

	/**
	 * An interpreter recognised an error the tool reported; on a failing exit it becomes the failure reason.
	 *
	 * @param jobId the job
	 * @param seq position in the job
	 * @param at when
	 * @param code the code
	 * @param message the text
	 */
	record KnownErrorDetected(JobId jobId, long seq, Instant at, String code, String message) implements Event {

		@Override
		public String kind() {
			return "known_error_detected";
		}

	}

	/**
	 * An interpreter emitted a finding.
	 *
	 * @param jobId the job
	 * @param seq position in the job
	 * @param at when
	 * @param finding the finding
	 */
	record FindingEmitted(JobId jobId, long seq, Instant at, Finding finding) implements Event {

		@Override
		public String kind() {
			return "finding_emitted";
		}

	}

	/**
	 * The tool asks a question on its output; answer through {@link JobHandle#write(byte[])}.
	 *
	 * @param jobId the job
	 * @param seq position in the job
	 * @param at when
	 * @param prompt the question
	 */
	record PromptDetected(JobId jobId, long seq, Instant at, String prompt) implements Event {

		@Override
		public String kind() {
			return "prompt_detected";
		}

	}

	/**
	 * The interpreter threw; it is disabled for the rest of the job, the process keeps running.
	 *
	 * @param jobId the job
	 * @param seq position in the job
	 * @param at when
	 * @param interpreter the interpreter's name
	 * @param error the exception text
	 * @param line the line being interpreted, if any
	 */
	record InterpreterError(JobId jobId, long seq, Instant at, String interpreter, String error, @Nullable String line) implements Event {

		@Override
		public String kind() {
			return "interpreter_error";
		}

	}

	/**
	 * The process exited: announced once its output is drained (or the drain grace period expired), so for
	 * ordinary tools every output line comes before it.
	 *
	 * @param jobId the job
	 * @param seq position in the job
	 * @param at when
	 * @param exit the exit code or signal
	 */
	record Exited(JobId jobId, long seq, Instant at, ExitStatus exit) implements Event {

		@Override
		public String kind() {
			return "exited";
		}

	}

	/**
	 * Cancellation was requested; the process group is being terminated.
	 *
	 * @param jobId the job
	 * @param seq position in the job
	 * @param at when
	 */
	record Cancelled(JobId jobId, long seq, Instant at) implements Event {

		@Override
		public String kind() {
			return "cancelled";
		}

	}

	/**
	 * Terminal: the job's outcome. Always the last event of a job.
	 *
	 * @param jobId the job
	 * @param seq position in the job
	 * @param at when
	 * @param outcome the outcome
	 */
	record Finalized(JobId jobId, long seq, Instant at, Outcome outcome) implements Event {

		@Override
		public String kind() {
			return "finalized";
		}

	}

	/**
	 * Delivery signal: the subscriber fell behind and events of this job from {@code seq} on were not delivered to
	 * it. Recover them with {@link ExecraRuntime#subscribe(JobId)} (replay), the store, or
	 * {@link ExecraRuntime#output} for output lines.
	 *
	 * @param jobId the job
	 * @param seq the first missed sequence number
	 * @param at when the loss was noticed
	 * @param resumeSeq the sequence number delivered next, or 0 when not known yet
	 */
	record Lagged(JobId jobId, long seq, Instant at, long resumeSeq) implements Event {

		@Override
		public String kind() {
			return "lagged";
		}

	}

}
