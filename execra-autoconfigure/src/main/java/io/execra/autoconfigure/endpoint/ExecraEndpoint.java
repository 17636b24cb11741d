package io.execra.autoconfigure.endpoint;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.execra.ExecraRuntime;
import io.execra.Job;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.JobsQuery;
import io.execra.autoconfigure.ExecraProperties;
import io.execra.autoconfigure.endpoint.JobDescriptors.CancelDescriptor;
import io.execra.autoconfigure.endpoint.JobDescriptors.JobDetailsDescriptor;
import io.execra.autoconfigure.endpoint.JobDescriptors.JobsDescriptor;
import io.execra.autoconfigure.endpoint.NodeDescriptors.NodesDescriptor;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code execra} endpoint: lists jobs ({@code GET /actuator/execra?runtime=&tag=&state=&owner=&offset=&limit=}),
 * shows one job with its events and output tail ({@code GET /actuator/execra/{id}}), shows the nodes of a cluster
 * ({@code GET /actuator/execra/nodes}) and cancels a job, killing its process group
 * ({@code POST /actuator/execra/{id}}). In cluster mode a job on any node can be cancelled; outside it, a job another
 * node runs cannot be cancelled here (409 over HTTP, through {@link ExecraEndpointWebExtension}). Each job names the
 * runtime and the node that run it.
 * <p>
 * Like every endpoint but {@code health}, it is not exposed over HTTP until
 * {@code management.endpoints.web.exposure.include} names it; {@code management.endpoint.execra.access=read-only}
 * keeps the cancel operation off. Everything it shows comes from the runtime's views, which hold redacted arguments
 * and environment variable names only, never their values.
 */
@Endpoint(id = "execra")
public class ExecraEndpoint {

	static final int DEFAULT_LIMIT = 20;

	static final int MAX_LIMIT = 500;

	static final int MAX_EVENTS = 200;

	/** The selector that reads the cluster's nodes rather than a job. */
	static final String NODES = "nodes";

	private final Supplier<Map<String, ExecraRuntime>> runtimes;

	/**
	 * Creates the endpoint.
	 * @param runtimes the runtimes by name
	 */
	public ExecraEndpoint(Supplier<Map<String, ExecraRuntime>> runtimes) {
		this.runtimes = runtimes;
	}

	/**
	 * Lists the jobs of one runtime, newest first.
	 * @param runtime the runtime's name (default: the default runtime)
	 * @param tag only jobs with this tag
	 * @param state only jobs in these states (comma-separated: queued, running, exited, finalized)
	 * @param owner only jobs of this owner
	 * @param offset jobs to skip
	 * @param limit page size, at most {@value #MAX_LIMIT}
	 * @return the page
	 */
	@ReadOperation
	public JobsDescriptor jobs(@Nullable String runtime, @Nullable String tag, @Nullable String state,
			@Nullable String owner, @Nullable Integer offset, @Nullable Integer limit) {
		Map<String, ExecraRuntime> all = this.runtimes.get();
		String name = (runtime != null) ? runtime : ExecraProperties.DEFAULT_RUNTIME_NAME;
		ExecraRuntime selected = all.get(name);
		if (selected == null) {
			throw new InvalidEndpointRequestException("Unknown runtime '" + name + "' (runtimes: " + all.keySet() + ")",
					"Unknown runtime");
		}
		int from = (offset != null) ? offset : 0;
		int size = (limit != null) ? limit : DEFAULT_LIMIT;
		if (from < 0 || size < 1 || size > MAX_LIMIT) {
			throw new InvalidEndpointRequestException("offset must be >= 0 and limit between 1 and " + MAX_LIMIT,
					"Invalid paging");
		}
		JobsQuery query = selected.jobs().offset(from).limit(size);
		if (tag != null) {
			query.tag(tag);
		}
		if (owner != null) {
			query.owner(owner);
		}
		parseStates(state).forEach(query::state);
		long total = query.count();
		List<JobDescriptors.JobSummary> jobs = query.list()
			.stream()
			.map((job) -> JobDescriptors.summary(runtimeThatRan(job, all), job))
			.toList();
		return new JobsDescriptor(name, all.keySet(), total, from, size, jobs);
	}

	/**
	 * One job with its events (no output lines) and the last lines of its output; or, for {@value #NODES}, the nodes
	 * of the cluster ({@link #nodes(String)}).
	 * @param id the job's id, or {@value #NODES}
	 * @param runtime the runtime's name (default: whichever knows the job)
	 * @return the job, or {@code null} (404) if no runtime knows it
	 */
	@ReadOperation
	public @Nullable OperationResponseBody job(@Selector String id, @Nullable String runtime) {
		// one selector serves both: actuator paths cannot mix a literal segment with a selector
		if (NODES.equals(id)) {
			return nodes(runtime);
		}
		JobId jobId = parseId(id);
		Located found = locate(jobId, runtime);
		if (found == null) {
			return null;
		}
		Job job = found.job();
		return new JobDetailsDescriptor(JobDescriptors.summary(runtimeThatRan(job, this.runtimes.get()), job),
				JobDescriptors.command(job.command()), (job.phase() != null) ? job.phase().name() : null, job.pid(),
				job.exit(), JobDescriptors.outcome(job.outcome()),
				found.runtime().events(jobId, 0, MAX_EVENTS).stream().map(JobDescriptors::event).toList(),
				OutputTail.of(found.runtime(), job));
	}

	/**
	 * The nodes of the cluster ({@code GET /actuator/execra/nodes}): each node's id, epoch, lease, whether it is
	 * alive, its running jobs and capacity, and this node's own lease. Outside cluster mode, {@code cluster} is
	 * {@code false} and the list is empty.
	 * @param runtime the runtime's name (default: the default runtime, the only one that can be a node)
	 * @return the nodes
	 */
	public NodesDescriptor nodes(@Nullable String runtime) {
		Map<String, ExecraRuntime> all = this.runtimes.get();
		String name = (runtime != null) ? runtime : ExecraProperties.DEFAULT_RUNTIME_NAME;
		ExecraRuntime selected = all.get(name);
		if (selected == null) {
			throw new InvalidEndpointRequestException("Unknown runtime '" + name + "' (runtimes: " + all.keySet() + ")",
					"Unknown runtime");
		}
		return NodeDescriptors.of(name, selected);
	}

	/**
	 * Cancels a job: TERM to its process group, then KILL after the grace period. Only the node running a job can
	 * cancel it.
	 * @param id the job's id
	 * @param runtime the runtime's name (default: whichever runs the job)
	 * @return whether it was cancelled, or {@code null} (404) if no runtime knows the job
	 * @throws JobOfAnotherNodeException if the job is active on another node (409 over HTTP)
	 */
	@WriteOperation
	public @Nullable CancelDescriptor cancel(@Selector String id, @Nullable String runtime) {
		JobId jobId = parseId(id);
		Located found = locate(jobId, runtime);
		if (found == null) {
			return null;
		}
		boolean cancelled = found.runtime().cancel(jobId);
		Job job = found.runtime().job(jobId).orElse(found.job());
		if (!cancelled && !job.isFinalized() && found.runtime().handle(jobId).isEmpty()) {
			// the store knows the job, but another node runs it: cancel answered false without touching it
			throw new JobOfAnotherNodeException(jobId, job.node());
		}
		return new CancelDescriptor(id, runtimeThatRan(job, this.runtimes.get()), job.node(), cancelled);
	}

	/**
	 * The name of this instance's runtime whose node id is the job's, or {@code null} when another node runs or ran
	 * it.
	 */
	private static @Nullable String runtimeThatRan(Job job, Map<String, ExecraRuntime> all) {
		for (Map.Entry<String, ExecraRuntime> entry : all.entrySet()) {
			if (entry.getValue().settings().nodeId().equals(job.node())) {
				return entry.getKey();
			}
		}
		return null;
	}

	/**
	 * The job and the runtime holding it in memory (it runs or ran it), else the first whose store knows it; each
	 * runtime is asked once.
	 */
	private @Nullable Located locate(JobId id, @Nullable String runtime) {
		Map<String, ExecraRuntime> all = this.runtimes.get();
		if (runtime != null) {
			ExecraRuntime selected = all.get(runtime);
			return (selected != null) ? located(selected, id) : null;
		}
		for (ExecraRuntime candidate : all.values()) {
			if (candidate.handle(id).isPresent()) {
				return located(candidate, id);
			}
		}
		for (ExecraRuntime candidate : all.values()) {
			Located found = located(candidate, id);
			if (found != null) {
				return found;
			}
		}
		return null;
	}

	private static @Nullable Located located(ExecraRuntime runtime, JobId id) {
		return runtime.job(id).map((job) -> new Located(runtime, job)).orElse(null);
	}

	/** A job and the runtime that holds it. */
	private record Located(ExecraRuntime runtime, Job job) {
	}

	private static JobId parseId(String id) {
		try {
			return JobId.parse(id);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEndpointRequestException(ex.getMessage(), "Invalid job id");
		}
	}

	private static Set<JobState> parseStates(@Nullable String states) {
		Set<JobState> parsed = EnumSet.noneOf(JobState.class);
		if (states == null || states.isBlank()) {
			return parsed;
		}
		for (String state : states.split(",")) {
			try {
				parsed.add(JobState.valueOf(state.trim().toUpperCase(Locale.ROOT)));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidEndpointRequestException("Unknown job state '" + state.trim() + "' (states: "
						+ List.of(JobState.values()) + ")", "Unknown job state");
			}
		}
		return parsed;
	}

}
