package io.execra;

import java.io.Serializable;
import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of a job.
 *
 * @param id the job's id
 * @param command what was run
 * @param state the lifecycle state
 * @param label the current label (the command's, or the latest an interpreter set)
 * @param tags the tags
 * @param progress the latest progress
 * @param phase the innermost open phase, or {@code null}
 * @param createdAt when {@code spawn} was called
 * @param startedAt when the process started, or {@code null}
 * @param finishedAt when the job was finalized, or {@code null}
 * @param pid the process id, or {@code null} before start
 * @param exit how the process ended, or {@code null}
 * @param outcome the outcome once finalized, or {@code null}
 * @param outputTail the last few KB of output once finalized, or {@code null}
 * @param node the id of the application instance that runs or ran the job
 */
public record Job(JobId id, CommandSpec command, JobState state, @Nullable String label, Set<String> tags,
		Progress progress, @Nullable Phase phase, Instant createdAt, @Nullable Instant startedAt,
		@Nullable Instant finishedAt, @Nullable Long pid, @Nullable ExitStatus exit, @Nullable Outcome outcome,
		@Nullable String outputTail, String node) implements Serializable {

	public Job {
		Checks.notNull(id, "id");
		Checks.notNull(command, "command");
		Checks.notNull(state, "state");
		tags = Set.copyOf(tags);
		Checks.notNull(progress, "progress");
		Checks.notNull(createdAt, "createdAt");
		Checks.notNull(node, "node");
		if (state == JobState.FINALIZED && outcome == null) {
			throw new IllegalArgumentException("'outcome' must be set for a finalized job " + id);
		}
	}

	/**
	 * The owner from the command, or {@code null}.
	 * @return the owner
	 */
	public @Nullable String owner() {
		return this.command.owner();
	}

	/**
	 * Whether the job is finalized.
	 * @return {@code true} when the outcome is known
	 */
	public boolean isFinalized() {
		return this.state == JobState.FINALIZED;
	}

}
