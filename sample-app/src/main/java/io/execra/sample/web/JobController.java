package io.execra.sample.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.execra.ExecraRuntime;
import io.execra.Job;
import io.execra.JobHandle;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.JobsQuery;
import io.execra.OutputPage;
import io.execra.StdinClosedException;
import io.execra.UnknownJobException;
import io.execra.sample.jobs.JobLauncher;
import io.execra.sample.jobs.PresetView;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The jobs API: start presets, list and page jobs (live and from the job store), read a job's events and
 * output, cancel it, answer its prompts. Live events are streamed by {@link EventStreamController}.
 */
@RestController
@RequestMapping("/api")
public class JobController {

	private static final int MAX_PAGE_SIZE = 100;

	private static final int MAX_EVENTS = 1000;

	private static final int MAX_OUTPUT_BYTES = 1024 * 1024;

	private static final Duration MAX_WAIT = Duration.ofSeconds(30);

	private final ExecraRuntime runtime;

	private final JobLauncher launcher;

	/**
	 * Creates the controller.
	 * @param runtime the runtime whose jobs are served
	 * @param launcher starts presets
	 */
	public JobController(ExecraRuntime runtime, JobLauncher launcher) {
		this.runtime = runtime;
		this.launcher = launcher;
	}

	/**
	 * The presets, with parameters that start them on the sample's files.
	 * @return the presets by name
	 */
	@GetMapping("/presets")
	public List<PresetView> presets() {
		return this.launcher.presets();
	}

	/**
	 * Starts a preset for the client at the request's remote address.
	 * @param request the preset and its parameters
	 * @param http the HTTP request, for the client's address
	 * @return 201 with the new job
	 */
	@PostMapping("/jobs")
	public ResponseEntity<Job> launch(@RequestBody LaunchRequest request, HttpServletRequest http) {
		if (request.preset() == null || request.preset().isBlank()) {
			// JSON leaves a missing field null whatever the record says
			throw new IllegalArgumentException("'preset' is required: the name of a preset GET /api/presets lists");
		}
		Map<String, String> parameters = (request.parameters() != null) ? request.parameters() : Map.of();
		JobHandle job = this.launcher.launch(request.preset(), parameters, request.owner(), http.getRemoteAddr());
		return ResponseEntity.created(URI.create("/api/jobs/" + job.id())).body(job.snapshot());
	}

	/**
	 * A page of jobs, newest first: running ones live, finished ones from the job store.
	 * @param tag only jobs with this tag
	 * @param state only jobs in these states
	 * @param owner only jobs of this owner
	 * @param page the page, from 0
	 * @param size the page size, at most 100
	 * @return the page
	 */
	@GetMapping("/jobs")
	public JobPage jobs(@RequestParam(required = false) @Nullable String tag,
			@RequestParam(required = false) @Nullable List<JobState> state,
			@RequestParam(required = false) @Nullable String owner, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
			throw new IllegalArgumentException(
					"'page' must be 0 or more and 'size' between 1 and " + MAX_PAGE_SIZE + " (got " + page + ", " + size + ")");
		}
		JobsQuery query = this.runtime.jobs();
		if (tag != null && !tag.isBlank()) {
			query.tag(tag);
		}
		if (state != null && !state.isEmpty()) {
			query.state(state.toArray(JobState[]::new));
		}
		if (owner != null && !owner.isBlank()) {
			query.owner(owner);
		}
		List<Job> jobs = query.offset(page * size).limit(size).list();
		return new JobPage(jobs, page, size, query.count());
	}

	/**
	 * A job and its recorded events.
	 * @param id the job's id
	 * @param afterSeq only events after this seq
	 * @param limit the most events to return, at most 1000
	 * @return the job and its events
	 */
	@GetMapping("/jobs/{id}")
	public JobDetails job(@PathVariable String id, @RequestParam(defaultValue = "0") long afterSeq,
			@RequestParam(defaultValue = "500") int limit) {
		JobId jobId = JobId.parse(id);
		Job job = this.runtime.job(jobId).orElseThrow(() -> new UnknownJobException(jobId));
		return new JobDetails(job, this.runtime.events(jobId, afterSeq, Math.min(Math.max(limit, 1), MAX_EVENTS)),
				this.runtime.handle(jobId).isPresent());
	}

	/**
	 * A page of a job's output lines, long-polling until there is a line, the job is finalized, or the wait ends.
	 * @param id the job's id
	 * @param afterSeq only lines after this seq
	 * @param maxBytes a soft limit on the page size
	 * @param waitMs how long to wait for new output, at most 30 s
	 * @return the page
	 * @throws InterruptedException if the request thread is interrupted while waiting
	 */
	@GetMapping("/jobs/{id}/output")
	public OutputPage output(@PathVariable String id, @RequestParam(defaultValue = "0") long afterSeq,
			@RequestParam(defaultValue = "65536") int maxBytes, @RequestParam(defaultValue = "0") long waitMs)
			throws InterruptedException {
		Duration wait = Duration.ofMillis(Math.max(0, waitMs));
		return this.runtime.output(JobId.parse(id), afterSeq, Math.min(Math.max(maxBytes, 1), MAX_OUTPUT_BYTES),
				(wait.compareTo(MAX_WAIT) > 0) ? MAX_WAIT : wait);
	}

	/**
	 * Requests cancellation of a job.
	 * @param id the job's id
	 * @return the job's snapshot
	 */
	@PostMapping("/jobs/{id}/cancel")
	public Job cancel(@PathVariable String id) {
		JobId jobId = JobId.parse(id);
		this.runtime.cancel(jobId);
		return this.runtime.job(jobId).orElseThrow(() -> new UnknownJobException(jobId));
	}

	/**
	 * Writes a line to a job's stdin, e.g. to answer its prompt.
	 * @param id the job's id
	 * @param request the line
	 * @return 204
	 */
	@PostMapping("/jobs/{id}/stdin")
	public ResponseEntity<Void> stdin(@PathVariable String id, @RequestBody StdinRequest request) {
		if (request.text() == null) {
			throw new IllegalArgumentException("'text' is required: the line to write to the job's stdin");
		}
		JobId jobId = JobId.parse(id);
		JobHandle job = this.runtime.handle(jobId).orElseThrow(() -> this.runtime.job(jobId).isPresent()
				? new StdinClosedException("Job " + jobId + " is not running here; its stdin is closed")
				: new UnknownJobException(jobId));
		job.writeLine(request.text());
		return ResponseEntity.noContent().build();
	}

}
