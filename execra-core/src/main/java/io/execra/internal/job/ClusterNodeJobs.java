package io.execra.internal.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.execra.Command;
import io.execra.ExecraSettings;
import io.execra.Job;
import io.execra.JobId;
import io.execra.cluster.NodeLease;
import io.execra.internal.process.ProcessSignaller;
import io.execra.internal.store.StoreWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs this node runs in cluster mode, as the cluster's side sees them: claimed jobs become local drivers
 * under the runtime's admission, and when the node loses its lease every active one is killed at once.
 */
final class ClusterNodeJobs implements ClusterJobs.LocalJobs {

	private static final Logger logger = LoggerFactory.getLogger(ClusterNodeJobs.class);

	private final ExecraSettings settings;

	private final JobRegistry registry;

	private final Admission<JobDriver> admission;

	private final CommandChecks checks;

	private final JobServices services;

	private final JobCallbacks callbacks;

	private final ProcessSignaller signaller;

	private final StoreWriter storeWriter;

	private final NodeRecovery recovery;

	private final Consumer<JobDriver> starter;

	ClusterNodeJobs(ExecraSettings settings, JobRegistry registry, Admission<JobDriver> admission,
			CommandChecks checks, JobServices services, JobCallbacks callbacks, ProcessSignaller signaller,
			StoreWriter storeWriter, NodeRecovery recovery, Consumer<JobDriver> starter) {
		this.settings = settings;
		this.registry = registry;
		this.admission = admission;
		this.checks = checks;
		this.services = services;
		this.callbacks = callbacks;
		this.signaller = signaller;
		this.storeWriter = storeWriter;
		this.recovery = recovery;
		this.starter = starter;
	}

	@Override
	public int freeSlots() {
		Admission.Load load = this.admission.load();
		return this.settings.maxConcurrent() - load.running() - load.queued();
	}

	@Override
	public int running() {
		return this.admission.load().running();
	}

	@Override
	public CommandChecks.Checked check(Command command) {
		return this.checks.check(command);
	}

	@Override
	public void start(JobId id, Instant createdAt, long afterSeq, CommandChecks.Checked checked) {
		Command command = checked.command();
		JobDriver driver = new JobDriver(this.services, this.callbacks, id, createdAt, afterSeq, command,
				checked.spec(), checked.environment(), this.settings.effectiveTimeout(command));
		boolean startNow = this.admission.admit(driver, checked.spec().commandLine(), () -> {
			// as a local spawn does: created under the admission lock, visible once created
			this.services.scheduler().get();
			driver.created();
			this.registry.add(driver);
		});
		if (startNow) {
			this.starter.accept(driver);
		}
	}

	@Override
	public void cancelIfLocal(JobId id) {
		JobDriver driver = this.registry.get(id);
		if (driver != null) {
			driver.cancel();
		}
	}

	@Override
	public void awaitEnded(JobId id) {
		JobDriver earlier = this.registry.get(id);
		if (earlier == null) {
			return;
		}
		Duration wait = this.settings.cancelGracePeriod().plus(this.settings.storeWrites().writeTimeout());
		try {
			earlier.outcome().get(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// it ends as it may: its writes stay abandoned until now, and the store owns the job anew
		}
	}

	@Override
	public List<JobId> killAll(NodeLease lease, Consumer<JobId> abandon) {
		List<JobDriver> active = this.registry.active();
		active.forEach((driver) -> abandon.accept(driver.id()));
		List<ProcessHandle> leaders = new ArrayList<>();
		List<JobId> ids = new ArrayList<>();
		for (JobDriver driver : active) {
			ids.add(driver.id());
			ProcessHandle leader = driver.processHandle();
			if (leader != null) {
				leaders.add(leader);
			}
			// a queued one must not start: cancelled, its writes abandoned with the others'
			if (leader == null) {
				driver.cancel();
			}
		}
		// by the lease's marks, not the jobs': another node on this host may run the next attempt of one of them
		this.signaller.killNode(leaders, lease.nodeId(), lease.epoch());
		return ids;
	}

	@Override
	public void killEarlierRuns() {
		int killed = this.signaller.killNode(List.of(), this.settings.nodeId(), null);
		if (killed > 0) {
			logger.warn("Killed {} processes that an earlier run of node {} left running", killed,
					this.settings.nodeId());
		}
	}

	@Override
	public void killLeftovers(List<Job> jobs) {
		this.recovery.killLeftovers(jobs);
	}

	@Override
	public StoreWriter storeWriter() {
		return this.storeWriter;
	}

}
