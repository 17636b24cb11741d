package io.execra.interpret;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Built-in interpreters for common tools. Each method returns a fresh instance holding one job's state: pass the
 * method reference ({@code Command.interpreter(Interpreters::ffmpeg)}) so that every spawn gets its own.
 *
 * <pre>{@code
 * Command.of("ffmpeg", "-nostdin", "-i", in, "-progress", "pipe:1", "-nostats", out)
 *         .interpreter(Interpreters::ffmpeg);
 * }</pre>
 */
public final class Interpreters {

	private static final Map<String, Supplier<Interpreter>> BY_NAME;

	static {
		Map<String, Supplier<Interpreter>> byName = new TreeMap<>();
		byName.put("ffmpeg", Interpreters::ffmpeg);
		byName.put("git", Interpreters::git);
		byName.put("rsync", Interpreters::rsync);
		byName.put("curl", Interpreters::curl);
		byName.put("json-lines", Interpreters::jsonLines);
		BY_NAME = Collections.unmodifiableMap(byName);
	}

	private Interpreters() {
	}

	/**
	 * For {@code ffmpeg ... -progress pipe:1 -nostats}: a true fraction from {@code out_time_us} and the input's
	 * duration, a {@code transcode} phase, a summary at the end, known errors for missing or invalid input.
	 * @return a fresh interpreter
	 */
	public static Interpreter ffmpeg() {
		return new FfmpegInterpreter();
	}

	/**
	 * For {@code git clone/fetch/pull/push --progress}: a phase per stage (counting, compressing, receiving,
	 * resolving, checking out, writing) and a fraction of the whole operation; {@code fatal:} as the known error.
	 * @return a fresh interpreter
	 */
	public static Interpreter git() {
		return new GitInterpreter();
	}

	/**
	 * For {@code rsync --info=progress2}: byte progress, a summary from {@code -v}/{@code --stats}, and
	 * {@code rsync error: ... (code N)} as the known error {@code rsync_<N>}.
	 * @return a fresh interpreter
	 */
	public static Interpreter rsync() {
		return new RsyncInterpreter();
	}

	/**
	 * For curl downloads: {@code --progress-bar} as a fraction or the default meter as bytes, and
	 * {@code curl: (N) ...} as the known error {@code curl_<N>}.
	 * @return a fresh interpreter
	 */
	public static Interpreter curl() {
		return new CurlInterpreter();
	}

	/**
	 * For tools printing one JSON event per line; see {@link JsonLinesInterpreter} for the accepted shape.
	 * @return an interpreter (stateless)
	 */
	public static Interpreter jsonLines() {
		return new JsonLinesInterpreter();
	}

	/**
	 * A built-in by name, for configuration: {@code curl}, {@code ffmpeg}, {@code git}, {@code json-lines},
	 * {@code rsync}.
	 * @param name the name
	 * @return a supplier of fresh interpreters
	 * @throws IllegalArgumentException listing the known names if there is none by that name
	 */
	public static Supplier<Interpreter> byName(String name) {
		Supplier<Interpreter> supplier = (name != null) ? BY_NAME.get(name) : null;
		if (supplier == null) {
			throw new IllegalArgumentException(
					"Unknown interpreter '" + name + "'; known interpreters: " + String.join(", ", names()));
		}
		return supplier;
	}

	/**
	 * The names {@link #byName(String)} knows, sorted.
	 * @return the names
	 */
	public static Set<String> names() {
		return BY_NAME.keySet();
	}

}
