package io.execra.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import io.execra.cluster.ClusterSettings;
import org.springframework.boot.convert.DurationUnit;

/**
 * Cluster mode, bound at {@code execra.cluster.*}: several instances of the application on one database act as one
 * execra (see docs/cluster.md). Applies to the default runtime only; named runtimes stay local to their instance.
 * Mapped onto {@link ClusterSettings}; the defaults are its own, written out here for the configuration metadata.
 */
public class ExecraClusterProperties {

	/**
	 * Whether this instance is a node of a cluster of instances sharing the job store's database: jobs are queued in
	 * the shared table and claimed by any node with free capacity. Needs the JPA job store on PostgreSQL (or MariaDB
	 * 10.6+ / MySQL 8, which poll); applies to the default runtime only.
	 */
	private boolean enabled;

	/**
	 * How long a node's lease holds without a heartbeat, on the database's clock. A node that cannot renew it for
	 * that long kills its processes and stops writing; other nodes then rescue its jobs. If a duration suffix is not
	 * specified, seconds will be used.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration lease = Duration.ofSeconds(10);

	/**
	 * How often a node renews its lease and looks for dead nodes; at most half the lease. If a duration suffix is not
	 * specified, seconds will be used.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration heartbeatInterval = Duration.ofSeconds(2);

	/**
	 * Maximum number of queued jobs a node claims in one statement.
	 */
	private int claimBatch = 32;

	/**
	 * How often a node polls for queued jobs, cancel requests and other nodes' events when no signal wakes it: the
	 * fallback of LISTEN/NOTIFY, and the only way on databases without it. If a duration suffix is not specified,
	 * seconds will be used.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration pollInterval = Duration.ofSeconds(1);

	/**
	 * Whether nodes are woken by PostgreSQL's LISTEN/NOTIFY (one extra database connection per node). Switch it off
	 * behind a transaction-pooling PgBouncer, where LISTEN does not work: nodes then poll every poll-interval.
	 */
	private boolean notify = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getLease() {
		return this.lease;
	}

	public void setLease(Duration lease) {
		this.lease = lease;
	}

	public Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	public void setHeartbeatInterval(Duration heartbeatInterval) {
		this.heartbeatInterval = heartbeatInterval;
	}

	public int getClaimBatch() {
		return this.claimBatch;
	}

	public void setClaimBatch(int claimBatch) {
		this.claimBatch = claimBatch;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
	}

	public boolean isNotify() {
		return this.notify;
	}

	public void setNotify(boolean notify) {
		this.notify = notify;
	}

}
