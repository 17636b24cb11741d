package io.execra.sample.web;

import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.JobId;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live execra events as Server-Sent Events (SSE {@code id} = the event's seq, {@code event} = its kind, data = its
 * JSON): of one job, resumable with {@code Last-Event-ID}, and of all jobs for the job list.
 */
@RestController
@RequestMapping(path = "/api", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
public class EventStreamController {

	private final ExecraRuntime runtime;

	private final SseEventRelay relay;

	/**
	 * Creates the controller.
	 * @param runtime the runtime whose events are streamed
	 * @param relay sends them
	 */
	public EventStreamController(ExecraRuntime runtime, SseEventRelay relay) {
		this.runtime = runtime;
		this.relay = relay;
	}

	/**
	 * A job's events: those after {@code Last-Event-ID} (all of them without it) from the job's replay window, then
	 * live ones, until its {@code finalized} event. For a job this instance no longer holds, its stored events
	 * (without output lines). Events the replay window no longer holds are announced by a {@code lagged} event
	 * whose {@code seq} is the first missed one and {@code resumeSeq} the next one sent; read them from
	 * {@code GET /api/jobs/{id}} and {@code /output}.
	 * @param id the job's id
	 * @param lastEventId the seq of the last event the client received
	 * @return the event stream
	 */
	@GetMapping("/jobs/{id}/events")
	public SseEmitter jobEvents(@PathVariable String id,
			@RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId) {
		ResumeAfter resume = ResumeAfter.lastEventId(lastEventId);
		EventStream events = this.runtime.subscribe(JobId.parse(id));
		return this.relay.relay(events, resume);
	}

	/**
	 * Events of all jobs from now on, without output lines (the job list does not show them). A {@code lagged}
	 * event says that some events of its job were not sent; reload that job.
	 * @return the event stream
	 */
	@GetMapping("/events")
	public SseEmitter allEvents() {
		return this.relay.relay(this.runtime.subscribe(),
				(event) -> (event instanceof Event.OutputAppended) ? null : event);
	}

}
