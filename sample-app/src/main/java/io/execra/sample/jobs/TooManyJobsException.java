package io.execra.sample.jobs;

/**
 * Thrown when a client already has as many queued or running jobs as it may have ({@code sample.max-jobs-per-client}).
 * Nothing was created, spawned or recorded.
 */
public class TooManyJobsException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param client the client
	 * @param max how many jobs it may have
	 */
	public TooManyJobsException(String client, int max) {
		super("Client " + client + " already has " + max + " queued or running jobs, the most one client may have "
				+ "(sample.max-jobs-per-client); wait for one to finish or cancel one");
	}

}
