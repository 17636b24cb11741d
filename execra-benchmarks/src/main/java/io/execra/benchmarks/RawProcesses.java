package io.execra.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The baseline: what a careful user of {@link ProcessBuilder} does without execra. Stdin from {@code /dev/null},
 * stderr merged into stdout (one pipe to drain, the cheapest way to not lose it), output drained to the end, then
 * the exit awaited.
 */
final class RawProcesses {

	private static final File DEV_NULL = new File("/dev/null");

	private RawProcesses() {
	}

	static ProcessBuilder builder(List<String> argv) {
		return new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL)).redirectErrorStream(true);
	}

	/**
	 * Runs a command to completion, draining its output.
	 * @param argv the command
	 * @return the exit value
	 */
	static int run(List<String> argv) throws IOException, InterruptedException {
		Process process = builder(argv).start();
		drain(process.getInputStream());
		return process.waitFor();
	}

	static long drain(InputStream in) throws IOException {
		byte[] buffer = new byte[16 * 1024];
		long total = 0;
		try (in) {
			int n;
			while ((n = in.read(buffer)) > 0) {
				total += n;
			}
		}
		return total;
	}

}
