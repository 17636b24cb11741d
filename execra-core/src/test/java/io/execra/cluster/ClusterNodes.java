package io.execra.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.execra.CommandTemplate;
import io.execra.ExecraRuntime;
import io.execra.ExecraRuntimeBuilder;
import io.execra.store.InMemoryJobStore;
import io.execra.store.JobStore;
import io.execra.support.SeverableStore;

/**
 * Runtimes in one JVM acting as the nodes of one cluster: they share an in-memory job store and an in-memory cluster
 * store whose clock plays the database's, and which a test may move forward.
 */
final class ClusterNodes implements AutoCloseable {

	static final Duration LEASE = Duration.ofSeconds(2);

	static final Duration HEARTBEAT = Duration.ofMillis(300);

	static final Duration POLL = Duration.ofMillis(200);

	final InMemoryJobStore jobs = new InMemoryJobStore();

	/** Added to the real time by the database clock. */
	private final AtomicReference<Duration> skew = new AtomicReference<>(Duration.ZERO);

	final InMemoryClusterStore store;

	/** The runtimes' view of the same job store: shared by them all, as a database is. */
	final JobStore shared = new SeverableStore(this.jobs) {

		@Override
		public boolean isShared() {
			return true;
		}

	};

	private final List<ExecraRuntime> nodes = new ArrayList<>();

	ClusterNodes(boolean signals) {
		this.store = new InMemoryClusterStore(this.jobs, new SkewedClock(), signals);
	}

	/** Moves the database clock forward: leases lapse as if that much time passed without a heartbeat. */
	void advanceDatabaseClock(Duration by) {
		this.skew.updateAndGet((current) -> current.plus(by));
	}

	ExecraRuntime node(String id, int maxConcurrent, Map<String, Integer> limits, CommandTemplate... presets) {
		ExecraRuntimeBuilder builder = ExecraRuntime.builder()
			.store(this.shared)
			.nodeId(id)
			.maxConcurrent(maxConcurrent)
			.cancelGracePeriod(Duration.ofSeconds(1))
			.cluster(new ClusterSettings(this.store, LEASE, HEARTBEAT, 8, POLL, limits));
		for (CommandTemplate preset : presets) {
			builder.preset(preset);
		}
		ExecraRuntime runtime = builder.build();
		this.nodes.add(runtime);
		return runtime;
	}

	@Override
	public void close() {
		for (ExecraRuntime node : this.nodes) {
			node.close();
		}
	}

	private final class SkewedClock extends Clock {

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return Instant.now().plus(ClusterNodes.this.skew.get());
		}

	}

}
