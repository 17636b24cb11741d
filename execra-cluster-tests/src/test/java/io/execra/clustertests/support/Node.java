package io.execra.clustertests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node of a test cluster: its child JVM, started and signalled by {@link ClusterNodes}, and an HTTP client of the
 * node application's API.
 */
public final class Node {

	static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

	private final String name;

	private final int port;

	private final List<String> command;

	private final Path log;

	private volatile @Nullable Process process;

	Node(String name, int port, List<String> command, Path log) {
		this.name = name;
		this.port = port;
		this.command = List.copyOf(command);
		this.log = log;
	}

	/** @return the node's short name */
	public String name() {
		return this.name;
	}

	/** @return its execra node id */
	public String nodeId() {
		return nodeId(this.name);
	}

	static String nodeId(String name) {
		return "node-" + name;
	}

	/** @return its HTTP port */
	public int port() {
		return this.port;
	}

	/** @return the pid of its JVM */
	public long pid() {
		return process().pid();
	}

	/** @return whether its JVM is alive (also while stopped) */
	public boolean isAlive() {
		Process current = this.process;
		return current != null && current.isAlive();
	}

	/** @return its log file */
	public Path log() {
		return this.log;
	}

	// ---- HTTP API of the node application

	/**
	 * Spawns a preset on this node.
	 * @param preset the preset
	 * @param parameters its placeholder values
	 * @return the job's id
	 */
	public String spawn(String preset, Map<String, String> parameters) {
		JsonNode answer = post("/spawn", Map.of("preset", preset, "parameters", parameters));
		return answer.get("id").asString();
	}

	/**
	 * Spawns presets one after the other on this node, in one request.
	 * @param jobs each a map of {@code preset} and {@code parameters}
	 * @return the jobs' ids, in order
	 */
	public List<String> spawnBatch(List<Map<String, Object>> jobs) {
		JsonNode answer = post("/spawn-batch", jobs);
		List<String> ids = new ArrayList<>();
		answer.forEach((id) -> ids.add(id.asString()));
		return ids;
	}

	/**
	 * A job as this node sees it (from any node).
	 * @param id the job
	 * @return its snapshot ({@code state}, {@code node}, {@code pid}, {@code outcome}, {@code reason}, ...), or
	 * {@code null} if the node does not know it
	 */
	public @Nullable JsonNode job(String id) {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/jobs/" + id)).GET());
		if (response.statusCode() == 404) {
			return null;
		}
		return parse(response, "/jobs/" + id);
	}

	/**
	 * Cancels a job from this node.
	 * @param id the job
	 * @return whether the node accepted the cancel
	 */
	public boolean cancel(String id) {
		return post("/jobs/" + id + "/cancel", Map.of()).get("cancelled").asBoolean();
	}

	/** @return this node's description: {@code nodeId}, {@code pid}, {@code cluster}, {@code leaseHeld}, ... */
	public JsonNode describe() {
		return get("/node");
	}

	/** @return {@code /actuator/execra/nodes} */
	public JsonNode nodesEndpoint() {
		return get("/actuator/execra/nodes");
	}

	/** @return the status of {@code /actuator/health}, e.g. {@code UP} */
	public String health() {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/actuator/health")).GET());
		return json.readTree(response.body()).path("status").asString();
	}

	/** @return {@code /actuator/health} in full */
	public String healthDetails() {
		return send(HttpRequest.newBuilder(uri("/actuator/health")).GET()).body();
	}

	/**
	 * Follows a job's events through this node, in the background.
	 * @param id the job
	 * @return completes with the events as received (one JSON object each: {@code seq}, {@code kind}, {@code at},
	 * {@code receivedAt}), after {@code finalized} or a {@code timeout} line
	 */
	public CompletableFuture<List<JsonNode>> follow(String id) {
		HttpRequest request = HttpRequest.newBuilder(uri("/jobs/" + id + "/events?timeoutMillis=20000")).GET().build();
		return http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenApply((response) -> {
			if (response.statusCode() != 200) {
				throw new IllegalStateException("GET /jobs/" + id + "/events on " + this.name + ": HTTP "
						+ response.statusCode() + " " + String.join("\n", response.body().toList()));
			}
			try (Stream<String> lines = response.body()) {
				return lines.filter((line) -> !line.isBlank()).map((line) -> (JsonNode) json.readTree(line)).toList();
			}
		});
	}

	JsonNode get(String path) {
		return parse(send(HttpRequest.newBuilder(uri(path)).GET()), path);
	}

	private JsonNode post(String path, Object body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
		return parse(send(request), path);
	}

	private JsonNode parse(HttpResponse<String> response, String path) {
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(
					path + " on node " + this.name + ": HTTP " + response.statusCode() + " " + response.body());
		}
		return json.readTree(response.body());
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Node " + this.name + " did not answer", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	// ---- the child JVM

	void start() throws IOException {
		Files.createDirectories(this.log.getParent());
		this.process = new ProcessBuilder(this.command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
			.start();
		// the pipe to its standard input stays open: the node halts when it closes, i.e. when this JVM is gone
	}

	Process process() {
		Process current = this.process;
		if (current == null) {
			throw new IllegalStateException("Node " + this.name + " was never started");
		}
		return current;
	}

	/** {@code kill -9} of the node's JVM (its jobs' processes are left behind, as after a crash). */
	public void kill() {
		Process current = process();
		ProcessGroups.signal("KILL", Long.toString(current.pid()));
		try {
			current.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** {@code kill -STOP} of the node's JVM: it freezes, its jobs' processes go on. */
	public void pause() {
		ProcessGroups.signal("STOP", Long.toString(pid()));
	}

	/** {@code kill -CONT} of the node's JVM. */
	public void resume() {
		ProcessGroups.signal("CONT", Long.toString(pid()));
	}

	/**
	 * The last lines of the node's log, for failure messages.
	 * @param lines how many
	 * @return them
	 */
	public String logTail(int lines) {
		try {
			List<String> all = Files.readAllLines(this.log);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	/**
	 * The node JVM's threads, by {@code jstack} of the JDK that runs the tests, for failures that a stuck thread may
	 * explain.
	 * @return the thread dump, or why there is none
	 */
	public String threadDump() {
		Path jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
		try {
			Process process = new ProcessBuilder(jstack.toString(), Long.toString(pid())).redirectErrorStream(true)
				.start();
			String dump = new String(process.getInputStream().readAllBytes());
			process.waitFor();
			return dump;
		}
		catch (IOException | RuntimeException ex) {
			return "(no thread dump: " + ex + ")";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "(no thread dump: interrupted)";
		}
	}

	@Override
	public String toString() {
		return nodeId() + "@" + this.port;
	}

}
