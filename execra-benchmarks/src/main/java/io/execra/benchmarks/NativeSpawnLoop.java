package io.execra.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The spawn benchmark's physical limit: {@code native-spawn.c}, a C loop doing per job what execra does as far as
 * the process is concerned (pipes, one {@code posix_spawn} with the same attributes and file actions, both pipes
 * drained, {@code waitpid}), compiled with the machine's {@code cc} at run time into a temporary directory. Where
 * it cannot be built, {@link #build()} says why and the benchmark prints the reason instead of the row.
 */
final class NativeSpawnLoop implements AutoCloseable {

	private static final String SOURCE = "native-spawn.c";

	private static final Pattern RESULT = Pattern
		.compile("^native-spawn jobs=\\d+ concurrency=\\d+ elapsed_ns=\\d+ per_second=([0-9.]+) closefrom=(yes|no)$",
				Pattern.MULTILINE);

	private final Path directory;

	private final Path binary;

	private final String description;

	private NativeSpawnLoop(Path directory, Path binary, String description) {
		this.directory = directory;
		this.binary = binary;
		this.description = description;
	}

	/**
	 * Compiles the loop.
	 * @return the loop, ready to run
	 * @throws Unavailable saying why it cannot be built here (not Linux, no {@code cc}, a failed compilation)
	 */
	static NativeSpawnLoop build() throws Unavailable {
		if (!"Linux".equals(System.getProperty("os.name"))) {
			throw new Unavailable("it uses Linux's posix_spawn attributes, as execra's posix_spawn launcher does"
					+ " (os.name " + System.getProperty("os.name") + ")");
		}
		Path cc = onPath("cc");
		if (cc == null) {
			throw new Unavailable("no cc on PATH (" + System.getenv("PATH") + ")");
		}
		Path directory;
		try {
			directory = Files.createTempDirectory("execra-native-spawn");
		}
		catch (IOException ex) {
			throw new Unavailable("no temporary directory: " + ex);
		}
		boolean built = false;
		try {
			Path source = directory.resolve(SOURCE);
			try (InputStream in = NativeSpawnLoop.class.getResourceAsStream(SOURCE)) {
				if (in == null) {
					throw new Unavailable(SOURCE + " is missing from the benchmark jar");
				}
				Files.copy(in, source);
			}
			Path binary = directory.resolve("native-spawn");
			long start = System.nanoTime();
			Output compiled = run(List.of(cc.toString(), "-O2", "-pthread", "-o", binary.toString(), source.toString()),
					120);
			long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			if (compiled.exit() != 0 || !Files.isExecutable(binary)) {
				throw new Unavailable(cc + " -O2 " + SOURCE + " failed (exit " + compiled.exit() + "): "
						+ firstLines(compiled.text(), 5));
			}
			Output version = run(List.of(cc.toString(), "--version"), 30);
			String compiler = version.text().strip().split("\n", 2)[0];
			built = true;
			return new NativeSpawnLoop(directory, binary,
					String.format(Locale.ROOT, "%s (%s), cc -O2, compiled in %d ms", binary, compiler, millis));
		}
		catch (IOException ex) {
			throw new Unavailable("compiling " + SOURCE + " failed: " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new Unavailable("interrupted while compiling " + SOURCE);
		}
		finally {
			if (!built) {
				delete(directory);
			}
		}
	}

	/** @return the binary, the compiler and the time it took, for the report */
	String description() {
		return this.description;
	}

	/**
	 * Runs one round.
	 * @param program the program each job runs, an absolute path
	 * @param jobs how many times
	 * @param concurrency how many threads spawn at once
	 * @return spawns per second, as the loop measured them (its own start-up is not counted)
	 * @throws IllegalStateException if the loop failed, with its message
	 */
	double run(String program, int jobs, int concurrency) throws IOException, InterruptedException {
		List<String> command = List.of(this.binary.toString(), program, Integer.toString(jobs),
				Integer.toString(concurrency));
		Output output = run(command, 600);
		Matcher matcher = RESULT.matcher(output.text());
		if (output.exit() != 0 || !matcher.find()) {
			throw new IllegalStateException("The native posix_spawn loop " + command + " failed (exit " + output.exit()
					+ "): " + output.text().strip());
		}
		return Double.parseDouble(matcher.group(1));
	}

	@Override
	public void close() {
		delete(this.directory);
	}

	private static Output run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null")
			.toFile())).redirectErrorStream(true).start();
		// reads to EOF before the timeout is checked; the loop and cc write little and end on their own
		String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IOException(command + " did not end within " + timeoutSeconds + " s");
		}
		return new Output(process.exitValue(), text);
	}

	private static String firstLines(String text, int count) {
		List<String> lines = new ArrayList<>();
		for (String line : text.strip().split("\n")) {
			if (lines.size() == count) {
				lines.add("...");
				break;
			}
			lines.add(line.strip());
		}
		return String.join(" | ", lines);
	}

	private static @Nullable Path onPath(String name) {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String dir : path.split(":")) {
			Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate.toAbsolutePath();
			}
		}
		return null;
	}

	private static void delete(Path directory) {
		try (var files = Files.list(directory)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Files.deleteIfExists(file);
			}
			Files.deleteIfExists(directory);
		}
		catch (IOException ex) {
			System.out.println("  note: could not delete " + directory + ": " + ex);
		}
	}

	private record Output(int exit, String text) {
	}

	/** The loop cannot be built on this machine; the message says why. */
	static final class Unavailable extends Exception {

		private static final long serialVersionUID = 1L;

		Unavailable(String reason) {
			super(reason, null, false, false);
		}

	}

}
