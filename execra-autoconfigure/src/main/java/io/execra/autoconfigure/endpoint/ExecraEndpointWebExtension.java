package io.execra.autoconfigure.endpoint;

import io.execra.autoconfigure.endpoint.JobDescriptors.CancelConflictDescriptor;
import io.execra.autoconfigure.endpoint.JobDescriptors.CancelDescriptor;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP side of the {@link ExecraEndpoint}'s cancel operation: a job another node runs answers {@code 409
 * Conflict} naming that node, rather than a {@code cancelled: false} that would read as "already finalized".
 */
@EndpointWebExtension(endpoint = ExecraEndpoint.class)
public class ExecraEndpointWebExtension {

	/** HTTP status of a cancel request for a job another node runs. */
	static final int STATUS_CONFLICT = 409;

	private final ExecraEndpoint endpoint;

	/**
	 * Creates the extension.
	 * @param endpoint the endpoint it extends
	 */
	public ExecraEndpointWebExtension(ExecraEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	/**
	 * Cancels a job, as {@link ExecraEndpoint#cancel(String, String)} does.
	 * @param id the job's id
	 * @param runtime the runtime's name (default: whichever runs the job)
	 * @return 200 with whether it was cancelled, 404 if no runtime knows the job, 409 naming the node if another
	 * node runs it
	 */
	@WriteOperation
	public WebEndpointResponse<OperationResponseBody> cancel(@Selector String id, @Nullable String runtime) {
		try {
			CancelDescriptor cancelled = this.endpoint.cancel(id, runtime);
			return (cancelled != null) ? new WebEndpointResponse<>(cancelled)
					: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		catch (JobOfAnotherNodeException ex) {
			return new WebEndpointResponse<>(new CancelConflictDescriptor(id, ex.getNode(), ex.getMessage()),
					STATUS_CONFLICT);
		}
	}

}
