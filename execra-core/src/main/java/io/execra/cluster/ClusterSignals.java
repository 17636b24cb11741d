package io.execra.cluster;

import io.execra.JobId;

/**
 * Wake-ups pushed by the database (PostgreSQL's {@code LISTEN/NOTIFY}) so that nodes need not poll for them.
 * They only hasten what polling finds anyway: a lost signal delays, never loses, work.
 */
public interface ClusterSignals {

	/**
	 * Starts listening.
	 * @param listener told of each signal, on the listening thread; it must return quickly
	 * @return stops listening when closed
	 */
	AutoCloseable listen(Listener listener);

	/** Receives the signals. */
	interface Listener {

		/** A job was queued (or queued again): nodes with free capacity should claim. */
		void jobQueued();

		/**
		 * Cancel was requested for a job.
		 * @param id the job
		 */
		void cancelRequested(JobId id);

		/**
		 * Events of a job were written: subscribers on other nodes should read them.
		 * @param id the job
		 */
		void eventsWritten(JobId id);

		/** The connection was lost and taken again: signals may have been missed, so poll once. */
		default void reconnected() {
		}

	}

}
