package io.execra.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.execra.JobId;

/**
 * {@link ClusterSignals} within one JVM: the stand-in for {@code LISTEN/NOTIFY} of {@link InMemoryClusterStore}.
 * Listeners are told synchronously, on the writing thread, once the write is done (as a {@code NOTIFY} is delivered
 * at commit); a listener that throws does not keep the others from being told.
 */
final class InProcessSignals implements ClusterSignals {

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	@Override
	public AutoCloseable listen(Listener listener) {
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	void jobQueued() {
		tell(Listener::jobQueued);
	}

	void cancelRequested(JobId id) {
		tell((listener) -> listener.cancelRequested(id));
	}

	void eventsWritten(JobId id) {
		tell((listener) -> listener.eventsWritten(id));
	}

	private void tell(Consumer<Listener> signal) {
		for (Listener listener : this.listeners) {
			try {
				signal.accept(listener);
			}
			catch (RuntimeException ex) {
				// a signal only hastens what polling finds anyway: one failing listener must not silence the rest
			}
		}
	}

}
