package io.execra.internal.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.execra.cluster.ClusterSettings;
import io.execra.cluster.ClusterStore;
import io.execra.cluster.LeaseLostException;
import io.execra.cluster.NodeLease;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's membership of the cluster: it joins, renews its lease every heartbeat on a thread of its own, and
 * rescues the jobs of dead nodes on another thread (one rescue at a time; a heartbeat skips the rescue while the last
 * one still runs), so that a rescue waiting on the database (for a frozen node's lock) never delays a renewal. The
 * lease counts as held only until a deadline on this JVM's monotonic clock, measured from when the last successful
 * renewal was sent: the database started the lease no earlier, so the node gives up before any other node may rescue
 * its jobs, whether the database is unreachable, the renewal is refused, or this JVM was paused. Once it is lost, the node's jobs are killed and abandoned at once ({@link Member}), and the
 * node joins again with a new epoch.
 */
public final class NodeMembership {

	private static final Logger logger = LoggerFactory.getLogger(NodeMembership.class);

	/** What the node does when its membership changes. */
	public interface Member {

		/** @return how many jobs the node runs, for its heartbeat */
		int running();

		/**
		 * The lease is lost: kill every local job's processes now and stop writing for them.
		 * @param lease the lease lost
		 */
		void leaseLost(NodeLease lease);

		/**
		 * The node joined (again): kill what its earlier jobs, rescued now, left running.
		 * @param rescued its jobs from earlier epochs
		 */
		void joined(List<ClusterStore.Rescued> rescued);

		/**
		 * Jobs of dead nodes were rescued; some may be queued again.
		 * @param rescued the jobs
		 */
		void rescued(List<ClusterStore.Rescued> rescued);

	}

	private final String nodeId;

	private final int capacity;

	private final ClusterSettings settings;

	private final ClusterCounters counters;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition beat = this.lock.newCondition();

	private @Nullable Member member;

	private @Nullable Thread thread;

	private @Nullable ThreadFactory threads;

	/** Whether a rescue runs: heartbeats skip theirs meanwhile. */
	private final AtomicBoolean rescuing = new AtomicBoolean();

	private volatile @Nullable NodeLease lease;

	/** {@link System#nanoTime()} after which the lease no longer counts as held. */
	private volatile long deadlineNanos;

	private volatile boolean stopped;

	/** Leases lost whose jobs are still being killed and abandoned; guarded by {@link #lock}. */
	private int losing;

	/**
	 * @param nodeId this node's id
	 * @param capacity how many jobs it may run at once
	 * @param settings the cluster settings
	 * @param counters counts leases lost and rescues
	 */
	public NodeMembership(String nodeId, int capacity, ClusterSettings settings, ClusterCounters counters) {
		this.nodeId = nodeId;
		this.capacity = capacity;
		this.settings = settings;
		this.counters = counters;
	}

	/**
	 * Joins the cluster (failing if the store cannot be reached: a node that cannot join must not start) and starts
	 * the heartbeat.
	 * @param member told of changes of the membership
	 * @param threads makes the heartbeat thread
	 */
	public void start(Member member, ThreadFactory threads) {
		this.member = member;
		this.threads = threads;
		join();
		Thread heartbeat = threads.newThread(this::run);
		this.thread = heartbeat;
		heartbeat.start();
	}

	/** @return this node's id */
	public String nodeId() {
		return this.nodeId;
	}

	/** @return the lease if it still holds by this node's reckoning, or {@code null} */
	public @Nullable NodeLease current() {
		NodeLease current = this.lease;
		if (current != null && System.nanoTime() - this.deadlineNanos >= 0) {
			lost(current, "its lease ran out without a successful renewal");
			return null;
		}
		return current;
	}

	/**
	 * The store rejected a write or claim of this lease, or this node found it lapsed: the lease is lost. Does
	 * nothing if that lease is no longer the current one.
	 * @param lost the lease
	 * @param why what showed it
	 */
	public void lost(NodeLease lost, String why) {
		this.lock.lock();
		try {
			if (!lost.equals(this.lease)) {
				return;
			}
			this.lease = null;
			this.losing++;
		}
		finally {
			this.lock.unlock();
		}
		this.counters.leaseLost();
		logger.error("Node {} lost its lease (epoch {}): {}; killing its jobs and joining again", this.nodeId,
				lost.epoch(), why);
		Member told = this.member;
		try {
			if (told != null) {
				told.leaseLost(lost);
			}
		}
		finally {
			// only now may it join again: its jobs are abandoned before a new lease could write for them
			this.lock.lock();
			try {
				this.losing--;
				this.beat.signalAll();
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	/** Stops the heartbeat and leaves the cluster: the node's lease ends now. */
	public void stop() {
		this.lock.lock();
		try {
			this.stopped = true;
			this.beat.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		Thread heartbeat = this.thread;
		if (heartbeat != null) {
			try {
				heartbeat.join(this.settings.lease().toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		NodeLease current = this.lease;
		if (current != null) {
			try {
				this.settings.store().leave(current);
			}
			catch (RuntimeException ex) {
				logger.warn("Node {} could not leave the cluster; its lease lapses by itself: {}", this.nodeId,
						ex.toString());
			}
			this.lease = null;
		}
	}

	private void join() {
		long sent = System.nanoTime();
		ClusterStore.Joined joined = this.settings.store().join(this.nodeId, this.capacity, this.settings.lease());
		logger.info("Node {} joined the cluster with epoch {}", this.nodeId, joined.lease().epoch());
		this.counters.rescued(joined.rescued().size());
		Member told = this.member;
		if (told != null && !joined.rescued().isEmpty()) {
			// before the lease is seen: no job is claimed while what the earlier ones left is being killed
			told.joined(joined.rescued());
		}
		this.deadlineNanos = sent + this.settings.lease().toNanos();
		this.lease = joined.lease();
	}

	private void run() {
		while (!this.stopped) {
			NodeLease held = current();
			try {
				if (held != null) {
					renew(held);
				}
				else if (!losing()) {
					join();
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Node {} could not reach the cluster store: {}", this.nodeId, ex.toString());
			}
			awaitNextBeat();
		}
	}

	private boolean losing() {
		this.lock.lock();
		try {
			return this.losing > 0;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void renew(NodeLease held) {
		long sent = System.nanoTime();
		Member told = this.member;
		boolean renewed = this.settings.store()
			.renew(held, this.settings.lease(), (told != null) ? told.running() : 0);
		if (!renewed) {
			lost(held, "the store no longer renews it");
			return;
		}
		if (held.equals(this.lease)) {
			this.deadlineNanos = sent + this.settings.lease().toNanos();
		}
		ThreadFactory factory = this.threads;
		if (factory == null || this.stopped || !this.rescuing.compareAndSet(false, true)) {
			return;
		}
		try {
			factory.newThread(() -> {
				try {
					rescue(held);
				}
				finally {
					this.rescuing.set(false);
				}
			}).start();
		}
		catch (RuntimeException | Error ex) {
			this.rescuing.set(false);
			throw ex;
		}
	}

	private void rescue(NodeLease held) {
		Member told = this.member;
		try {
			List<ClusterStore.Rescued> rescued = this.settings.store().rescue(held);
			if (!rescued.isEmpty()) {
				logger.warn("Node {} rescued {} jobs of dead nodes: {}", this.nodeId, rescued.size(),
						rescued.stream().map((r) -> r.job().id() + (r.requeued() ? " (queued again)" : "")).toList());
				this.counters.rescued(rescued.size());
				if (told != null) {
					told.rescued(rescued);
				}
			}
		}
		catch (LeaseLostException ex) {
			lost(held, "the store rejected its rescue");
		}
		catch (RuntimeException ex) {
			logger.warn("Node {} could not rescue the jobs of dead nodes: {}", this.nodeId, ex.toString());
		}
	}

	/** Waits for the next heartbeat, waking at the lease's deadline if that comes first. */
	private void awaitNextBeat() {
		long wait = this.settings.heartbeatInterval().toNanos();
		if (this.lease != null) {
			wait = Math.max(0, Math.min(wait, this.deadlineNanos - System.nanoTime()));
		}
		this.lock.lock();
		try {
			if (!this.stopped && this.lease != null) {
				this.beat.await(wait, TimeUnit.NANOSECONDS);
			}
			else if (!this.stopped) {
				// no lease: join again without waiting a whole heartbeat the first time
				this.beat.await(Math.min(wait, Duration.ofMillis(200).toNanos()), TimeUnit.NANOSECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.stopped = true;
		}
		finally {
			this.lock.unlock();
		}
	}

}
