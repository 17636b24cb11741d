package io.execra.autoconfigure.jpa;

import java.time.Instant;
import java.util.Set;

import io.execra.CommandLimits;
import io.execra.CommandSpec;
import io.execra.Event;
import io.execra.ExitStatus;
import io.execra.Finding;
import io.execra.Job;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.Phase;
import io.execra.Progress;
import io.execra.store.StoreException;
import io.execra.store.StoredFinding;
import org.jspecify.annotations.Nullable;

/**
 * Maps jobs, events and findings to rows and back. Rows written by a newer schema version are refused.
 */
final class JobMapper {

	private final ExecraJsonCodec json;

	JobMapper(ExecraJsonCodec json) {
		this.json = json;
	}

	JobEntity newEntity(Job job) {
		JobEntity entity = new JobEntity(job.id().value(), this.json.write(CommandSpec.class, job.command()),
				job.tags(), job.owner(), job.createdAt().toEpochMilli());
		update(entity, job);
		return entity;
	}

	/** Copies the mutable fields; command, tags, owner and creation time are written once. */
	void update(JobEntity entity, Job job) {
		entity.setNode(job.node());
		entity.setState(job.state().name());
		// an interpreter's label may be longer than a command's: cut as at spawn
		entity.setLabel((job.label() != null) ? CommandLimits.truncatedLabel(job.label()) : null);
		entity.setProgress(this.json.write(Progress.class, job.progress()));
		entity.setPhase((job.phase() != null) ? this.json.write(Phase.class, job.phase()) : null);
		entity.setStartedAt(millis(job.startedAt()));
		entity.setFinishedAt(millis(job.finishedAt()));
		entity.setPid(job.pid());
		entity.setExitCode((job.exit() != null) ? job.exit().code() : null);
		entity.setExitSignal((job.exit() != null) ? job.exit().signal() : null);
		entity.setOutcomeKind((job.outcome() != null) ? job.outcome().kind() : null);
		entity.setOutcome((job.outcome() != null) ? this.json.write(Outcome.class, job.outcome()) : null);
		entity.setOutputTail(job.outputTail());
	}

	/**
	 * @param entity the job's row
	 * @param tags its tags, read as {@link JobReader} does
	 */
	Job toJob(JobEntity entity, Set<String> tags) {
		checkVersion(entity.getSchemaVersion(), "job " + entity.getId());
		ExitStatus exit = (entity.getExitCode() != null || entity.getExitSignal() != null)
				? new ExitStatus(entity.getExitCode(), entity.getExitSignal()) : null;
		return new Job(new JobId(entity.getId()), this.json.read(CommandSpec.class, entity.getCommand()),
				JobState.valueOf(entity.getState()), entity.getLabel(), tags,
				this.json.read(Progress.class, entity.getProgress()),
				(entity.getPhase() != null) ? this.json.read(Phase.class, entity.getPhase()) : null,
				Instant.ofEpochMilli(entity.getCreatedAt()), instant(entity.getStartedAt()),
				instant(entity.getFinishedAt()), entity.getPid(), exit,
				(entity.getOutcome() != null) ? this.json.read(Outcome.class, entity.getOutcome()) : null,
				entity.getOutputTail(), entity.getNode());
	}

	EventEntity toEntity(Event event) {
		return new EventEntity(new EventKey(event.jobId().value(), event.seq()), event.at().toEpochMilli(),
				event.kind(), payload(event));
	}

	/** @return the JSON an event is stored as */
	String payload(Event event) {
		return this.json.write(Event.class, event);
	}

	/** @return the JSON a finding is stored as */
	String payload(Finding finding) {
		return this.json.write(Finding.class, finding);
	}

	Event toEvent(EventEntity entity) {
		checkVersion(entity.getSchemaVersion(), "event " + entity.getId());
		return this.json.read(Event.class, entity.getPayload());
	}

	StoredFinding toStoredFinding(FindingEntity entity) {
		checkVersion(entity.getSchemaVersion(), "finding " + entity.getId());
		return new StoredFinding(new JobId(entity.getId().jobId()), entity.getId().seq(),
				this.json.read(Finding.class, entity.getFinding()));
	}

	String write(Outcome outcome) {
		return this.json.write(Outcome.class, outcome);
	}

	private static void checkVersion(int found, String row) {
		if (found > JpaJobStore.SCHEMA_VERSION) {
			throw new StoreException("Unsupported schema version " + found + " of " + row + " (this version of execra"
					+ " reads up to " + JpaJobStore.SCHEMA_VERSION + "); upgrade execra");
		}
	}

	private static @Nullable Long millis(@Nullable Instant instant) {
		return (instant != null) ? instant.toEpochMilli() : null;
	}

	private static @Nullable Instant instant(@Nullable Long millis) {
		return (millis != null) ? Instant.ofEpochMilli(millis) : null;
	}

}
