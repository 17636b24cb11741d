package io.execra.internal.cluster;

import java.util.concurrent.atomic.AtomicLong;

import io.execra.cluster.ClusterView;

/**
 * The counters of one node since it started, read for {@link ClusterView#stats()}. Thread-safe.
 */
public final class ClusterCounters {

	private final AtomicLong claims = new AtomicLong();

	private final AtomicLong claimLatencyNanos = new AtomicLong();

	private final AtomicLong rescues = new AtomicLong();

	private final AtomicLong fencedWrites = new AtomicLong();

	private final AtomicLong leasesLost = new AtomicLong();

	void claimed(long latencyNanos) {
		this.claims.incrementAndGet();
		this.claimLatencyNanos.addAndGet(Math.max(0, latencyNanos));
	}

	void rescued(int jobs) {
		this.rescues.addAndGet(jobs);
	}

	void fenced(long records) {
		this.fencedWrites.addAndGet(records);
	}

	void leaseLost() {
		this.leasesLost.incrementAndGet();
	}

	/** @return the counters now */
	public ClusterView.Stats stats() {
		return new ClusterView.Stats(this.claims.get(), this.claimLatencyNanos.get(), this.rescues.get(),
				this.fencedWrites.get(), this.leasesLost.get());
	}

}
