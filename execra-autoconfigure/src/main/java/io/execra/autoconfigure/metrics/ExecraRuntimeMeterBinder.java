package io.execra.autoconfigure.metrics;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import io.execra.ExecraRuntime;
import io.execra.cluster.ClusterView;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the gauge of every execra runtime's queue, {@code execra.job.queued}, tagged with the runtime's name (the jobs
 * running now are the active tasks of {@code execra.job.active}); for a runtime in cluster mode, the
 * {@link ExecraClusterMetrics}. Boot binds meter binders once the context's singletons exist, so every runtime
 * is there.
 */
public class ExecraRuntimeMeterBinder implements MeterBinder {

	private static final ClusterView.Stats NO_STATS = new ClusterView.Stats(0, 0, 0, 0, 0);

	private final Supplier<Map<String, ExecraRuntime>> runtimes;

	/**
	 * Creates the binder.
	 * @param runtimes the runtimes by name
	 */
	public ExecraRuntimeMeterBinder(Supplier<Map<String, ExecraRuntime>> runtimes) {
		this.runtimes = runtimes;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.runtimes.get().forEach((name, runtime) -> {
			Gauge.builder(ExecraMetrics.JOB_QUEUED.getName(), runtime, (rt) -> rt.stats().queued())
				.tag(ExecraMetrics.Tags.RUNTIME.asString(), name)
				.strongReference(true)
				.register(registry);
			runtime.cluster().ifPresent((cluster) -> bindCluster(registry, name, runtime, cluster));
		});
	}

	/**
	 * The counters are read from the node's own stats when scraped, never from the database. Function meters hold
	 * their object weakly: they hold the runtime, which the context holds.
	 */
	private static void bindCluster(MeterRegistry registry, String runtimeName, ExecraRuntime runtime,
			ClusterView cluster) {
		Tags tags = Tags.of(ExecraMetrics.Tags.RUNTIME.asString(), runtimeName,
				ExecraClusterMetrics.Tags.NODE.asString(), cluster.nodeId());
		counter(registry, ExecraClusterMetrics.CLAIMS, tags, runtime, ClusterView.Stats::claims);
		counter(registry, ExecraClusterMetrics.RESCUES, tags, runtime, ClusterView.Stats::rescues);
		counter(registry, ExecraClusterMetrics.FENCED_WRITES, tags, runtime, ClusterView.Stats::fencedWrites);
		counter(registry, ExecraClusterMetrics.LEASES_LOST, tags, runtime, ClusterView.Stats::leasesLost);
		FunctionTimer
			.builder(ExecraClusterMetrics.CLAIM_LATENCY.getName(), runtime, (rt) -> stats(rt).claims(),
					(rt) -> stats(rt).claimLatencyNanos(), TimeUnit.NANOSECONDS)
			.tags(tags)
			.register(registry);
		Gauge.builder(ExecraClusterMetrics.LEASE_HELD.getName(), runtime,
				(rt) -> rt.cluster().map((view) -> view.leaseHeld() ? 1 : 0).orElse(0))
			.tags(tags)
			.strongReference(true)
			.register(registry);
	}

	private static void counter(MeterRegistry registry, ExecraClusterMetrics meter, Tags tags, ExecraRuntime runtime,
			ToLongFunction<ClusterView.Stats> count) {
		FunctionCounter.builder(meter.getName(), runtime, (rt) -> count.applyAsLong(stats(rt)))
			.tags(tags)
			.register(registry);
	}

	private static ClusterView.Stats stats(ExecraRuntime runtime) {
		return runtime.cluster().map(ClusterView::stats).orElse(NO_STATS);
	}

}
