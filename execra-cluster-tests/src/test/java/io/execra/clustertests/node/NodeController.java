package io.execra.clustertests.node;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.Job;
import io.execra.JobId;
import io.execra.JobRejectedException;
import io.execra.Outcome;
import io.execra.UnknownJobException;
import io.execra.cluster.ClusterView;
import io.execra.cluster.NodeLease;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the tests drive on a node: spawn presets, read a job from any node, cancel it, follow its events, and this
 * node's identity and lease. Answers are small JSON maps; job events come as JSON lines, one per event, each written
 * and flushed as the node receives it, with the time it did ({@code receivedAt}, epoch microseconds) beside the
 * event's own time ({@code at}), so that a test measures how long an event took to reach this node.
 */
@RestController
class NodeController {

	private final ExecraRuntime runtime;

	NodeController(ExecraRuntime runtime) {
		this.runtime = runtime;
	}

	/**
	 * Spawns a preset.
	 * @param request {@code preset} and {@code parameters}
	 * @return the job's id and the node that spawned it
	 */
	@PostMapping("/spawn")
	Map<String, Object> spawn(@RequestBody SpawnRequest request) {
		JobId id = this.runtime.spawn(request.preset(), request.parameters()).id();
		return Map.of("id", id.toString(), "spawnedBy", this.runtime.settings().nodeId());
	}

	/**
	 * Spawns presets one after the other, so that a test submits thousands of jobs with few requests.
	 * @param requests the presets and their parameters
	 * @return the jobs' ids, in order
	 */
	@PostMapping("/spawn-batch")
	List<String> spawnBatch(@RequestBody List<SpawnRequest> requests) {
		List<String> ids = new ArrayList<>(requests.size());
		for (SpawnRequest request : requests) {
			ids.add(this.runtime.spawn(request.preset(), request.parameters()).id().toString());
		}
		return ids;
	}

	@GetMapping("/jobs/{id}")
	ResponseEntity<Map<String, @Nullable Object>> job(@PathVariable String id) {
		return this.runtime.job(JobId.parse(id))
			.map((job) -> ResponseEntity.ok(json(job)))
			.orElseGet(() -> ResponseEntity.notFound().build());
	}

	@GetMapping("/running")
	List<String> running() {
		return this.runtime.running().stream().map(JobId::toString).toList();
	}

	@PostMapping("/jobs/{id}/cancel")
	Map<String, Object> cancel(@PathVariable String id) {
		return Map.of("cancelled", this.runtime.cancel(JobId.parse(id)));
	}

	/**
	 * A job's events as JSON lines, from its first until {@code finalized}, or until {@code timeoutMillis} passes
	 * without one (then a last line {@code {"kind":"timeout"}}).
	 * @param id the job
	 * @param timeoutMillis the longest wait for the next event
	 * @param response the response, written and flushed event by event
	 * @throws IOException if the client went away
	 * @throws InterruptedException if the node is stopping
	 */
	@GetMapping("/jobs/{id}/events")
	void events(@PathVariable String id, @RequestParam(defaultValue = "30000") long timeoutMillis,
			HttpServletResponse response) throws IOException, InterruptedException {
		response.setContentType("application/x-ndjson");
		OutputStream out = response.getOutputStream();
		try (EventStream events = this.runtime.subscribe(JobId.parse(id))) {
			while (true) {
				Event event = events.next(Duration.ofMillis(timeoutMillis));
				if (event == null) {
					out.write("{\"kind\":\"timeout\"}\n".getBytes(StandardCharsets.UTF_8));
					out.flush();
					return;
				}
				out.write(line(event, micros(Instant.now())).getBytes(StandardCharsets.UTF_8));
				out.flush();
				if (event.isTerminal()) {
					return;
				}
			}
		}
	}

	/**
	 * This node: its id, JVM pid and, in cluster mode, its lease.
	 * @return the node's description
	 */
	@GetMapping("/node")
	Map<String, @Nullable Object> node() {
		Map<String, @Nullable Object> node = new LinkedHashMap<>();
		node.put("nodeId", this.runtime.settings().nodeId());
		node.put("pid", ProcessHandle.current().pid());
		ClusterView cluster = this.runtime.cluster().orElse(null);
		node.put("cluster", cluster != null);
		if (cluster != null) {
			NodeLease lease = cluster.lease();
			node.put("leaseHeld", cluster.leaseHeld());
			node.put("epoch", (lease != null) ? lease.epoch() : null);
			ClusterView.Stats stats = cluster.stats();
			node.put("claims", stats.claims());
			node.put("rescues", stats.rescues());
			node.put("fencedWrites", stats.fencedWrites());
			node.put("leasesLost", stats.leasesLost());
		}
		return node;
	}

	@ExceptionHandler(UnknownJobException.class)
	ResponseEntity<Map<String, Object>> unknown(UnknownJobException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", String.valueOf(ex.getMessage())));
	}

	@ExceptionHandler({ JobRejectedException.class, IllegalArgumentException.class })
	ResponseEntity<Map<String, Object>> rejected(RuntimeException ex) {
		return ResponseEntity.status(HttpStatus.BAD_REQUEST)
			.body(Map.of("error", ex.getClass().getSimpleName() + ": " + ex.getMessage()));
	}

	private static Map<String, @Nullable Object> json(Job job) {
		Map<String, @Nullable Object> json = new LinkedHashMap<>();
		json.put("id", job.id().toString());
		json.put("state", job.state().name());
		json.put("node", job.node());
		json.put("pid", job.pid());
		json.put("tags", job.tags());
		json.put("createdAt", millis(job.createdAt()));
		json.put("startedAt", millis(job.startedAt()));
		json.put("finishedAt", millis(job.finishedAt()));
		Outcome outcome = job.outcome();
		json.put("outcome", (outcome != null) ? outcomeKind(outcome) : null);
		if (outcome instanceof Outcome.Failed failed) {
			json.put("reason", failed.reason().getClass().getSimpleName());
			json.put("reasonDetail", failed.reason().toString());
		}
		return json;
	}

	private static String line(Event event, long receivedAt) {
		StringBuilder line = new StringBuilder(160).append("{\"seq\":")
			.append(event.seq())
			.append(",\"kind\":\"")
			.append(event.kind())
			.append("\",\"at\":")
			.append(micros(event.at()))
			.append(",\"receivedAt\":")
			.append(receivedAt);
		if (event instanceof Event.Finalized finalized) {
			line.append(",\"outcome\":\"").append(outcomeKind(finalized.outcome())).append('"');
		}
		if (event instanceof Event.Lagged lagged) {
			line.append(",\"resumeSeq\":").append(lagged.resumeSeq());
		}
		return line.append("}\n").toString();
	}

	private static String outcomeKind(Outcome outcome) {
		if (outcome instanceof Outcome.Succeeded) {
			return "succeeded";
		}
		return (outcome instanceof Outcome.Failed) ? "failed" : "cancelled";
	}

	private static @Nullable Long millis(@Nullable Instant instant) {
		return (instant != null) ? instant.toEpochMilli() : null;
	}

	private static long micros(Instant instant) {
		return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
	}

	/**
	 * A preset to spawn.
	 * @param preset its name
	 * @param parameters its placeholder values
	 */
	record SpawnRequest(String preset, Map<String, String> parameters) {
	}

}
