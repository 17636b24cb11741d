package io.execra.sample.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small client of the sample's HTTP API for tests: JSON in and out, and Server-Sent Events read to the end of
 * the stream.
 */
public final class ApiClient {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final String baseUrl;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * A client of the app at this base URL.
	 * @param baseUrl e.g. {@code http://localhost:8080}
	 */
	public ApiClient(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	/**
	 * GETs a JSON resource.
	 * @param path the path, with its query
	 * @return the response
	 */
	public Response get(String path) {
		return send(request(path).GET().build());
	}

	/**
	 * POSTs a JSON body.
	 * @param path the path
	 * @param body the body, serialized as JSON
	 * @return the response
	 */
	public Response post(String path, Object body) {
		return send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body)))
			.build());
	}

	/**
	 * POSTs a JSON body without declaring its length (chunked).
	 * @param path the path
	 * @param body the body, serialized as JSON
	 * @return the response
	 */
	public Response postChunked(String path, Object body) {
		byte[] bytes = this.json.writeValueAsBytes(body);
		return send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)))
			.build());
	}

	/**
	 * Starts a preset with its default parameters (from {@code GET /api/presets}) overridden by {@code overrides}.
	 * @param preset the preset's name
	 * @param overrides parameters to change
	 * @return the response of {@code POST /api/jobs}
	 */
	public Response launch(String preset, Map<String, String> overrides) {
		return launch(preset, overrides, null);
	}

	/**
	 * Starts a preset as an owner, with its default parameters (from {@code GET /api/presets}) overridden by
	 * {@code overrides}.
	 * @param preset the preset's name
	 * @param overrides parameters to change
	 * @param owner the job's owner, or {@code null}
	 * @return the response of {@code POST /api/jobs}
	 */
	public Response launch(String preset, Map<String, String> overrides, String owner) {
		JsonNode presets = get("/api/presets").body();
		Map<String, String> parameters = new java.util.TreeMap<>();
		for (JsonNode node : presets) {
			if (node.get("name").asString().equals(preset)) {
				node.get("defaults").properties().forEach((entry) -> parameters.put(entry.getKey(), entry.getValue().asString()));
			}
		}
		parameters.putAll(overrides);
		Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("preset", preset, "parameters", parameters));
		if (owner != null) {
			body.put("owner", owner);
		}
		return post("/api/jobs", body);
	}

	/**
	 * Reads a Server-Sent Events stream until the server ends it.
	 * @param path the path
	 * @param lastEventId the {@code Last-Event-ID} header, or {@code null}
	 * @return the events, in order
	 */
	public List<SseEvent> readEvents(String path, String lastEventId) {
		HttpRequest.Builder builder = request(path).header("Accept", "text/event-stream").GET();
		if (lastEventId != null) {
			builder.header("Last-Event-ID", lastEventId);
		}
		try {
			HttpResponse<java.io.InputStream> response = this.http.send(builder.build(),
					HttpResponse.BodyHandlers.ofInputStream());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
			}
			List<SseEvent> events = new ArrayList<>();
			try (BufferedReader reader = new BufferedReader(
					new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
				String id = null;
				String name = null;
				StringBuilder data = new StringBuilder();
				for (String line; (line = reader.readLine()) != null;) {
					if (line.isEmpty()) {
						if (name != null) {
							events.add(new SseEvent(id, name, this.json.readTree(data.toString())));
						}
						id = null;
						name = null;
						data.setLength(0);
					}
					else if (line.startsWith("id:")) {
						id = line.substring(3).trim();
					}
					else if (line.startsWith("event:")) {
						name = line.substring(6).trim();
					}
					else if (line.startsWith("data:")) {
						data.append(line.substring(5));
					}
				}
			}
			return events;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(this.baseUrl + path)).timeout(TIMEOUT);
	}

	private Response send(HttpRequest request) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			String text = response.body();
			JsonNode body = (text == null || text.isBlank()) ? null : this.json.readTree(text);
			return new Response(response.statusCode(), body, response.headers().map());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A JSON response.
	 *
	 * @param status the HTTP status
	 * @param body the JSON body, or {@code null} when empty
	 * @param headers the headers
	 */
	public record Response(int status, JsonNode body, Map<String, List<String>> headers) {

		/**
		 * The string at a JSON pointer of the body.
		 * @param pointer e.g. {@code /outcome/kind}
		 * @return the text, or "" when missing
		 */
		public String text(String pointer) {
			return this.body.at(pointer).asString("");
		}

	}

	/**
	 * One Server-Sent Event.
	 *
	 * @param id its {@code id}, or {@code null}
	 * @param name its {@code event} name
	 * @param data its JSON data
	 */
	public record SseEvent(String id, String name, JsonNode data) {

	}

}
