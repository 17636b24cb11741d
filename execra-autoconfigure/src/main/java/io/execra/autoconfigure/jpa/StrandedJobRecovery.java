package io.execra.autoconfigure.jpa;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.execra.Event;
import io.execra.FailureReason;
import io.execra.Job;
import io.execra.JobState;
import io.execra.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * Finalizes jobs left active by a node that is gone, as {@link io.execra.store.JobStore#recoverStranded} documents:
 * each gets {@code Failed(HostExited)} and a {@code finalized} event after its last one. A job is finalized by a
 * conditional update ({@code where state <> 'FINALIZED'}), so when two nodes recover the same silent node at once,
 * only one writes the outcome and the event. Runs inside the caller's transaction.
 */
final class StrandedJobRecovery {

	private static final Set<String> ACTIVE = Set.of(JobState.QUEUED.name(), JobState.RUNNING.name(),
			JobState.EXITED.name());

	private final JpaRepositories repositories;

	private final JobMapper mapper;

	private final JobReader reader;

	StrandedJobRecovery(JpaRepositories repositories, JobMapper mapper, JobReader reader) {
		this.repositories = repositories;
		this.mapper = mapper;
		this.reader = reader;
	}

	List<Job> recover(String nodeId, boolean restarted, @Nullable Instant silentBefore, Instant now) {
		Map<UUID, String> details = new LinkedHashMap<>();
		Map<UUID, JobEntity> candidates = new LinkedHashMap<>();
		if (restarted) {
			for (JobEntity job : this.repositories.jobs().findByNodeAndStateIn(nodeId, ACTIVE)) {
				candidates.put(job.getId(), job);
				details.put(job.getId(), "node " + nodeId + " restarted");
			}
		}
		if (silentBefore != null) {
			Map<String, String> nodeDetails = new HashMap<>();
			for (JobEntity job : this.repositories.jobs()
				.findActiveOfSilentNodes(nodeId, ACTIVE, silentBefore.toEpochMilli())) {
				candidates.put(job.getId(), job);
				details.put(job.getId(), nodeDetails.computeIfAbsent(job.getNode(), this::silence));
			}
		}
		List<Job> recovered = new ArrayList<>();
		for (Job stranded : this.reader.toJobs(List.copyOf(candidates.values()))) {
			Job job = finalize(stranded, details.get(stranded.id().value()), now);
			if (job != null) {
				recovered.add(job);
			}
		}
		return recovered;
	}

	private String silence(String node) {
		return this.repositories.nodes()
			.findById(node)
			.map((n) -> "node " + node + " silent since " + Instant.ofEpochMilli(n.getHeartbeatAt()))
			.orElse("node " + node + " never wrote a heartbeat");
	}

	private @Nullable Job finalize(Job before, String detail, Instant now) {
		Outcome outcome = new Outcome.Failed(new FailureReason.HostExited(detail));
		int updated = this.repositories.jobs()
			.finalizeIfActive(before.id().value(), now.toEpochMilli(), outcome.kind(), this.mapper.write(outcome));
		if (updated == 0) {
			return null;
		}
		Long last = this.repositories.events().findMaxSeq(before.id().value());
		long seq = (last != null) ? last + 1 : 1;
		this.repositories.events().save(this.mapper.toEntity(new Event.Finalized(before.id(), seq, now, outcome)));
		return new Job(before.id(), before.command(), JobState.FINALIZED, before.label(), before.tags(),
				before.progress(), null, before.createdAt(), before.startedAt(), now, before.pid(), before.exit(),
				outcome, before.outputTail(), before.node());
	}

}
