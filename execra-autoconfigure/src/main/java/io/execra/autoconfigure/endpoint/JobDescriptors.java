package io.execra.autoconfigure.endpoint;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.execra.CommandSpec;
import io.execra.Event;
import io.execra.ExitStatus;
import io.execra.FailureReason;
import io.execra.Job;
import io.execra.JobId;
import io.execra.Outcome;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * The JSON shapes of the {@code execra} endpoint, built only from the runtime's own views of jobs: the command as the
 * runtime recorded it (arguments and label already redacted, environment variable names without values).
 */
public final class JobDescriptors {

	private JobDescriptors() {
	}

	static JobSummary summary(@Nullable String runtime, Job job) {
		return new JobSummary(job.id().toString(), runtime, job.node(), job.state().name(), job.label(), job.command().program(),
				job.tags(), job.owner(), job.createdAt(), job.startedAt(), job.finishedAt(),
				job.progress().asFraction().isPresent() ? job.progress().asFraction().getAsDouble() : null,
				(job.outcome() != null) ? job.outcome().kind() : null);
	}

	static @Nullable OutcomeDescriptor outcome(@Nullable Outcome outcome) {
		if (outcome == null) {
			return null;
		}
		FailureReason reason = (outcome instanceof Outcome.Failed failed) ? failed.reason() : null;
		return new OutcomeDescriptor(outcome.kind(), (reason != null) ? reason.kind() : null,
				(reason != null) ? reason.describe() : null, outcome.message(), outcome.findings().size());
	}

	static CommandDescriptor command(CommandSpec spec) {
		return new CommandDescriptor(spec.kind(), spec.program(), spec.args(), spec.envKeys(), spec.envRemoved(),
				spec.envClear(), spec.cwd(), spec.stdin(), spec.timeout(), spec.metadata());
	}

	/** An event as a map: seq, at, kind, then the event's own fields (the job id left out). */
	static Map<String, @Nullable Object> event(Event event) {
		Map<String, @Nullable Object> map = new LinkedHashMap<>();
		map.put("seq", event.seq());
		map.put("at", event.at());
		map.put("kind", event.kind());
		for (RecordComponent component : event.getClass().getRecordComponents()) {
			String name = component.getName();
			if (!name.equals("jobId") && !name.equals("seq") && !name.equals("at")) {
				map.put(name, value(component, event));
			}
		}
		return map;
	}

	private static @Nullable Object value(RecordComponent component, Event event) {
		try {
			Object value = component.getAccessor().invoke(event);
			if (value instanceof CommandSpec spec) {
				return command(spec);
			}
			if (value instanceof Outcome outcome) {
				return outcome(outcome);
			}
			if (value instanceof JobId id) {
				return id.toString();
			}
			return value;
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Cannot read " + component + " of " + event.kind(), ex);
		}
	}

	/**
	 * A page of jobs.
	 *
	 * @param runtime the runtime listed
	 * @param runtimes the names of all runtimes
	 * @param total jobs matching the filters
	 * @param offset rows skipped
	 * @param limit page size
	 * @param jobs the jobs, newest first
	 */
	public record JobsDescriptor(String runtime, Set<String> runtimes, long total, int offset, int limit,
			List<JobSummary> jobs) implements OperationResponseBody {
	}

	/**
	 * A job in a list.
	 *
	 * @param id the id
	 * @param runtime the name of this instance's runtime that runs or ran the job, or {@code null} when another node
	 * did
	 * @param node the id of the node that runs or ran the job
	 * @param state the state
	 * @param label the label
	 * @param program the program
	 * @param tags the tags
	 * @param owner the owner
	 * @param createdAt when created
	 * @param startedAt when started
	 * @param finishedAt when finalized
	 * @param progress progress as a fraction, when known
	 * @param outcome the outcome's kind once finalized
	 */
	public record JobSummary(String id, @Nullable String runtime, String node, String state, @Nullable String label, String program,
			Set<String> tags, @Nullable String owner, Instant createdAt, @Nullable Instant startedAt,
			@Nullable Instant finishedAt, @Nullable Double progress, @Nullable String outcome) {
	}

	/**
	 * One job with its events and output tail.
	 *
	 * @param job the summary
	 * @param command the command as recorded (redacted; environment variable names only)
	 * @param phase the innermost open phase's name
	 * @param pid the process id
	 * @param exit the exit status
	 * @param outcome the outcome
	 * @param events the job's events without output lines, at most {@value ExecraEndpoint#MAX_EVENTS}
	 * @param outputTail the last output lines, at most {@value OutputTail#MAX_LINES}
	 */
	public record JobDetailsDescriptor(JobSummary job, CommandDescriptor command, @Nullable String phase,
			@Nullable Long pid, @Nullable ExitStatus exit, @Nullable OutcomeDescriptor outcome,
			List<Map<String, @Nullable Object>> events, List<String> outputTail) implements OperationResponseBody {
	}

	/**
	 * A command as recorded.
	 *
	 * @param kind exec, shell or script
	 * @param program the program
	 * @param args the arguments, redacted
	 * @param envKeys names of variables set
	 * @param envRemoved names of variables removed
	 * @param envClear whether the inherited environment was cleared
	 * @param cwd the working directory
	 * @param stdin the stdin mode
	 * @param timeout the timeout
	 * @param metadata the metadata, redacted
	 */
	public record CommandDescriptor(String kind, String program, List<String> args, List<String> envKeys,
			List<String> envRemoved, boolean envClear, @Nullable String cwd, String stdin, @Nullable Duration timeout,
			Map<String, String> metadata) {
	}

	/**
	 * An outcome.
	 *
	 * @param kind succeeded, failed or cancelled
	 * @param reason the failure reason's kind
	 * @param reasonDetail the failure reason, described
	 * @param message the one-line message
	 * @param findings how many findings
	 */
	public record OutcomeDescriptor(String kind, @Nullable String reason, @Nullable String reasonDetail,
			String message, int findings) {
	}

	/**
	 * The answer to a cancel request.
	 *
	 * @param id the job
	 * @param runtime the name of the runtime running the job
	 * @param node the id of the node running the job
	 * @param cancelled whether cancellation was requested ({@code false}: the job was already finalized)
	 */
	public record CancelDescriptor(String id, @Nullable String runtime, String node, boolean cancelled)
			implements OperationResponseBody {
	}

	/**
	 * The answer to a cancel request for a job that another node runs (HTTP 409).
	 *
	 * @param id the job
	 * @param node the id of the node running the job
	 * @param message what happened and where the job can be cancelled
	 */
	public record CancelConflictDescriptor(String id, String node, String message) implements OperationResponseBody {
	}

}
