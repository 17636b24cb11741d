package io.execra.sample.jobs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.execra.sample.SampleProperties;

import org.springframework.stereotype.Component;

/**
 * How many jobs each client has queued or running, capped at {@code sample.max-jobs-per-client}, so that one client
 * cannot take all of the runtime's slots and queue. A client is a remote address: the owner in a request is
 * whatever the client says. Thread-safe.
 */
@Component
public class ClientJobLimit {

	private final int maxJobsPerClient;

	private final Map<String, Integer> activeJobs = new ConcurrentHashMap<>();

	/**
	 * Creates the limit.
	 * @param properties the sample's settings
	 */
	public ClientJobLimit(SampleProperties properties) {
		this.maxJobsPerClient = properties.maxJobsPerClient();
	}

	/**
	 * Takes one of a client's slots.
	 * @param client the client's remote address
	 * @return the slot, to release when the job is finalized or was not started after all
	 * @throws TooManyJobsException if the client has no slot left
	 */
	Slot acquire(String client) {
		this.activeJobs.compute(client, (key, active) -> {
			int count = (active != null) ? active : 0;
			if (count >= this.maxJobsPerClient) {
				throw new TooManyJobsException(client, this.maxJobsPerClient);
			}
			return count + 1;
		});
		return new Slot(client);
	}

	/** One job's place in its client's share; released once. */
	final class Slot {

		private final String client;

		private final AtomicBoolean released = new AtomicBoolean();

		private Slot(String client) {
			this.client = client;
		}

		void release() {
			if (this.released.compareAndSet(false, true)) {
				ClientJobLimit.this.activeJobs.computeIfPresent(this.client,
						(key, active) -> (active > 1) ? active - 1 : null);
			}
		}

	}

}
