package io.execra.cluster;

import java.util.LinkedHashSet;
import java.util.Set;

import io.execra.JobId;
import org.jspecify.annotations.Nullable;

/**
 * The signals of one {@link InMemoryClusterStore} call, collected under its lock and sent once the call is done,
 * outside the lock: a listener may call the store.
 */
final class PendingSignals {

	private final @Nullable InProcessSignals signals;

	private boolean queued;

	private @Nullable JobId cancelled;

	private final Set<JobId> eventsOf = new LinkedHashSet<>();

	/** @param signals where to send them, or {@code null} for a store without signals */
	PendingSignals(@Nullable InProcessSignals signals) {
		this.signals = signals;
	}

	/** Jobs were queued. */
	void queued() {
		this.queued = true;
	}

	/** @param id a claimed job whose cancel was requested */
	void cancelled(JobId id) {
		this.cancelled = id;
	}

	/** @param id a job whose events were written */
	void eventsWritten(JobId id) {
		this.eventsOf.add(id);
	}

	void send() {
		if (this.signals == null) {
			return;
		}
		if (this.queued) {
			this.signals.jobQueued();
		}
		if (this.cancelled != null) {
			this.signals.cancelRequested(this.cancelled);
		}
		this.eventsOf.forEach(this.signals::eventsWritten);
	}

}
