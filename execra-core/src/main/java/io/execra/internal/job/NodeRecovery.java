package io.execra.internal.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.execra.ExecraSettings;
import io.execra.Job;
import io.execra.internal.process.ProcessSignaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs left active in the store by a node that is gone: this node's previous run, at start, and on a shared store
 * the nodes whose heartbeat stopped, on each heartbeat of this one. They are finalized as host-exited, and the
 * processes this node's previous run left behind are killed.
 */
final class NodeRecovery {

	private static final Logger logger = LoggerFactory.getLogger(NodeRecovery.class);

	/** How far a process's start may be from its job's start for the process to be the job's, not a recycled pid. */
	private static final Duration SAME_START = Duration.ofSeconds(2);

	private final ExecraSettings settings;

	private final ProcessSignaller signaller;

	/**
	 * @param settings the runtime's settings: store, node id, clock, stale-node timeout
	 * @param signaller kills the leftover processes
	 */
	NodeRecovery(ExecraSettings settings, ProcessSignaller signaller) {
		this.settings = settings;
		this.signaller = signaller;
	}

	/**
	 * At start: beats, finalizes the jobs this node's previous run left active (and those of stale nodes), and
	 * kills the processes of this node's jobs that are still running.
	 */
	void recoverAtStart() {
		killLeftovers(recoverStranded(true));
	}

	/** On each heartbeat: beats, and finalizes the jobs of nodes whose heartbeat is stale. */
	void heartbeat() {
		recoverStranded(false);
	}

	private List<Job> recoverStranded(boolean restarted) {
		Instant now = this.settings.clock().instant();
		try {
			this.settings.store().heartbeat(this.settings.nodeId(), now);
			List<Job> recovered = this.settings.store()
				.recoverStranded(this.settings.nodeId(), restarted, now.minus(this.settings.staleNodeTimeout()), now);
			if (!recovered.isEmpty()) {
				logger.warn("Finalized {} stranded jobs as host-exited: {}", recovered.size(),
						recovered.stream().map(Job::id).toList());
			}
			return recovered;
		}
		catch (RuntimeException ex) {
			logger.warn("Could not recover stranded jobs from the store: {}", ex.toString());
			return List.of();
		}
	}

	/**
	 * Kills processes that jobs of this node, stranded by a crash of its previous run, left running: only where
	 * the process with the job's pid started when the job did (so a recycled pid is never touched), and the
	 * processes that carry the job's mark.
	 */
	void killLeftovers(List<Job> stranded) {
		List<ProcessHandle> leftovers = new ArrayList<>();
		List<String> jobIds = new ArrayList<>();
		for (Job job : stranded) {
			if (job.pid() == null || job.startedAt() == null || !job.node().equals(this.settings.nodeId())) {
				continue;
			}
			jobIds.add(job.id().toString());
			Instant startedAt = job.startedAt();
			ProcessHandle.of(job.pid())
				.filter((process) -> process.info()
					.startInstant()
					.map((start) -> Duration.between(start, startedAt).abs().compareTo(SAME_START) <= 0)
					.orElse(false))
				.ifPresent(leftovers::add);
		}
		if (!leftovers.isEmpty()) {
			logger.warn("Killing {} process groups left running by jobs of this node's previous run: {}",
					leftovers.size(), leftovers.stream().map(ProcessHandle::pid).toList());
		}
		this.signaller.killNow(leftovers, jobIds);
	}

}
