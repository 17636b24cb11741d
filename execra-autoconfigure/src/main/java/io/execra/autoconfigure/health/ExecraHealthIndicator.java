package io.execra.autoconfigure.health;

import java.time.Clock;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.execra.ExecraRuntime;
import io.execra.RuntimeStats;
import io.execra.autoconfigure.retention.ExecraRetentionCleaner;
import io.execra.autoconfigure.retention.RetentionSweepResult;
import io.execra.cluster.ClusterView;
import io.execra.cluster.NodeLease;
import io.execra.store.JobStore;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the execra runtimes. Per runtime (the default one and each named one): whether it accepts jobs, running
 * and queued jobs against its limits, and its store: reachable ({@link JobStore#ping()}), the writer's backlog and
 * last write failure. Then the last retention sweep: when, how long ago, and its result.
 * <p>
 * In cluster mode, per runtime that is a node: its id, whether it holds its lease, the lease's epoch and how often it
 * lost it.
 * <p>
 * {@link Status#DOWN DOWN} when a store cannot be reached or a node lost its lease (it runs nothing until it joined
 * again), {@link Status#OUT_OF_SERVICE OUT_OF_SERVICE} while a
 * runtime drains on shutdown (it no longer accepts jobs), {@link Status#UP UP} otherwise. The details are bounded:
 * a fixed set of keys per runtime and failure messages cut to {@value #MAX_MESSAGE} characters.
 */
public class ExecraHealthIndicator extends AbstractHealthIndicator {

	static final int MAX_MESSAGE = 200;

	private final Supplier<Map<String, ExecraRuntime>> runtimes;

	private final Supplier<@Nullable ExecraRetentionCleaner> retention;

	private final Clock clock;

	/**
	 * Creates the indicator.
	 * @param runtimes the runtimes by name
	 * @param retention the retention cleaner, or a supplier of {@code null} when retention is off
	 * @param clock the clock for the age of the last sweep
	 */
	public ExecraHealthIndicator(Supplier<Map<String, ExecraRuntime>> runtimes,
			Supplier<@Nullable ExecraRetentionCleaner> retention, Clock clock) {
		super("execra health check failed");
		this.runtimes = runtimes;
		this.retention = retention;
		this.clock = clock;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean down = false;
		boolean draining = false;
		Map<JobStore, Map<String, Object>> storeChecks = new IdentityHashMap<>();
		Map<String, Object> runtimeDetails = new LinkedHashMap<>();
		for (Map.Entry<String, ExecraRuntime> entry : this.runtimes.get().entrySet()) {
			ExecraRuntime runtime = entry.getValue();
			RuntimeStats stats = runtime.stats();
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("accepting", stats.accepting());
			details.put("running", stats.running());
			details.put("queued", stats.queued());
			details.put("maxConcurrent", stats.maxConcurrent());
			details.put("queueCapacity", stats.queueCapacity());
			Map<String, Object> store = new LinkedHashMap<>(
					storeChecks.computeIfAbsent(runtime.settings().store(), ExecraHealthIndicator::ping));
			store.put("backlog", stats.storeBacklog());
			Throwable failure = stats.storeFailure();
			if (failure != null) {
				store.put("lastWriteFailure", message(failure));
			}
			details.put("store", store);
			ClusterView cluster = runtime.cluster().orElse(null);
			if (cluster != null) {
				details.put("cluster", clusterDetails(cluster));
				down |= !cluster.leaseHeld();
			}
			runtimeDetails.put(entry.getKey(), details);
			down |= Boolean.FALSE.equals(store.get("reachable"));
			draining |= !stats.accepting();
		}
		builder.status(down ? Status.DOWN : draining ? Status.OUT_OF_SERVICE : Status.UP);
		builder.withDetail("runtimes", runtimeDetails);
		builder.withDetail("retention", retentionDetails());
	}

	/** This node only, from memory: the other nodes are the endpoint's, which asks the database. */
	private static Map<String, Object> clusterDetails(ClusterView cluster) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("node", cluster.nodeId());
		details.put("leaseHeld", cluster.leaseHeld());
		NodeLease lease = cluster.lease();
		if (lease != null) {
			details.put("epoch", lease.epoch());
		}
		details.put("leasesLost", cluster.stats().leasesLost());
		return details;
	}

	private static Map<String, Object> ping(JobStore store) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("type", store.getClass().getSimpleName());
		try {
			store.ping();
			details.put("reachable", true);
		}
		catch (RuntimeException ex) {
			details.put("reachable", false);
			details.put("error", message(ex));
		}
		return details;
	}

	private Map<String, Object> retentionDetails() {
		ExecraRetentionCleaner cleaner = this.retention.get();
		Map<String, Object> details = new LinkedHashMap<>();
		if (cleaner == null) {
			details.put("enabled", false);
			return details;
		}
		details.put("enabled", cleaner.policy().deletesAnything());
		RetentionSweepResult last = cleaner.lastSweep();
		if (last == null) {
			details.put("lastSweep", "none yet");
			return details;
		}
		details.put("lastSweep", last.finishedAt().toString());
		details.put("lastSweepAge", Duration.between(last.finishedAt(), this.clock.instant()).withNanos(0).toString());
		details.put("lastSweepResult", last.isSuccess() ? "success" : "failure");
		details.put("jobsDeleted", last.jobsDeleted());
		details.put("outputFilesDeleted", last.outputFilesDeleted());
		if (last.failure() != null) {
			details.put("error", cut(last.failure()));
		}
		return details;
	}

	private static String message(Throwable failure) {
		return cut(failure.getClass().getName() + ": " + failure.getMessage());
	}

	private static String cut(String text) {
		return (text.length() > MAX_MESSAGE) ? text.substring(0, MAX_MESSAGE) + "..." : text;
	}

}
