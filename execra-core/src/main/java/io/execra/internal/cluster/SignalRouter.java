package io.execra.internal.cluster;

import java.util.function.Consumer;

import io.execra.JobId;
import io.execra.cluster.ClusterSignals;

/**
 * Hands the database's signals to whoever waits for them: queued jobs to the claim loop, cancel requests to the
 * jobs of this node, written events to the readers of jobs on other nodes. A missed signal only delays: each of
 * them polls too.
 */
public final class SignalRouter implements ClusterSignals.Listener {

	private final ClaimLoop claims;

	private final Consumer<JobId> cancel;

	private final EventWakeups wakeups;

	/**
	 * @param claims the claim loop
	 * @param cancel cancels a job of this node, if it runs it
	 * @param wakeups the readers of jobs on other nodes
	 */
	public SignalRouter(ClaimLoop claims, Consumer<JobId> cancel, EventWakeups wakeups) {
		this.claims = claims;
		this.cancel = cancel;
		this.wakeups = wakeups;
	}

	@Override
	public void jobQueued() {
		this.claims.wake();
	}

	@Override
	public void cancelRequested(JobId id) {
		this.cancel.accept(id);
	}

	@Override
	public void eventsWritten(JobId id) {
		this.wakeups.wake(id);
	}

	@Override
	public void reconnected() {
		this.claims.wake();
		this.wakeups.wakeAll();
	}

}
