package io.execra.internal.process;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long-lived {@code /bin/sh}, shared by every runtime of the JVM, that signals process groups with its built-in
 * {@code kill}: a line written to its stdin becomes a {@code kill(2)} call within microseconds, where spawning
 * {@code kill(1)} costs a process start (milliseconds). The shell ends when the JVM does (its stdin closes). If
 * it cannot be used, callers fall back to spawning {@code kill(1)}.
 */
final class KillShell {

	private static final Logger logger = LoggerFactory.getLogger(KillShell.class);

	private static final KillShell SHARED = new KillShell("/bin/sh");

	private final String shell;

	private @Nullable Process process;

	private @Nullable Writer stdin;

	private int failures;

	KillShell(String shell) {
		this.shell = shell;
	}

	static KillShell shared() {
		return SHARED;
	}

	/**
	 * Sends a signal to process groups.
	 * @param signal the signal name, e.g. {@code TERM}
	 * @param pgids the groups
	 * @return whether the shell took the request; {@code false} means the caller must signal another way
	 */
	synchronized boolean kill(String signal, List<Long> pgids) {
		if (this.failures >= 3) {
			return false;
		}
		StringBuilder line = new StringBuilder(16 + 12 * pgids.size()).append("kill -s ").append(signal).append(" --");
		for (long pgid : pgids) {
			line.append(" -").append(pgid);
		}
		line.append('\n');
		for (int attempt = 0; attempt < 2; attempt++) {
			try {
				Writer writer = (this.stdin != null && this.process != null && this.process.isAlive()) ? this.stdin
						: start();
				writer.write(line.toString());
				writer.flush();
				return true;
			}
			catch (IOException ex) {
				logger.debug("Signalling shell {} failed: {}", this.shell, ex.toString());
				stop();
			}
		}
		this.failures++;
		return false;
	}

	private Writer start() throws IOException {
		stop();
		Process started = new ProcessBuilder(this.shell).redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		this.process = started;
		this.stdin = new OutputStreamWriter(started.getOutputStream(), StandardCharsets.US_ASCII);
		return this.stdin;
	}

	private void stop() {
		Process current = this.process;
		this.process = null;
		this.stdin = null;
		if (current != null) {
			current.destroy();
		}
	}

}
