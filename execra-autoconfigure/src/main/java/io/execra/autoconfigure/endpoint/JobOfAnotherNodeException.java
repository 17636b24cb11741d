package io.execra.autoconfigure.endpoint;

import io.execra.JobId;

/**
 * Thrown by {@link ExecraEndpoint#cancel(String, String)} for a job that another node runs: only that node can
 * cancel it until cluster mode relays cancels between nodes.
 */
public class JobOfAnotherNodeException extends RuntimeException {

	private final JobId jobId;

	private final String node;

	/**
	 * Creates the exception.
	 * @param jobId the job
	 * @param node the id of the node running it
	 */
	public JobOfAnotherNodeException(JobId jobId, String node) {
		super("Job " + jobId + " runs on node '" + node + "', not on this instance: cancel it through that node");
		this.jobId = jobId;
		this.node = node;
	}

	/**
	 * The job.
	 * @return the job's id
	 */
	public JobId getJobId() {
		return this.jobId;
	}

	/**
	 * The node running the job.
	 * @return the node's id
	 */
	public String getNode() {
		return this.node;
	}

}
