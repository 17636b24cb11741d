package io.execra.autoconfigure.endpoint;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

import io.execra.ExecraRuntime;
import io.execra.Job;
import io.execra.OutputPage;
import io.execra.UnknownJobException;

/**
 * The last lines of a job's output, bounded: from the finalized job's output tail, else read through the runtime's
 * retained output (at most {@value #MAX_PAGES} pages of {@value #PAGE_BYTES} bytes).
 */
final class OutputTail {

	static final int MAX_LINES = 50;

	static final int PAGE_BYTES = 64 * 1024;

	static final int MAX_PAGES = 16;

	private OutputTail() {
	}

	static List<String> of(ExecraRuntime runtime, Job job) {
		ArrayDeque<String> lines = new ArrayDeque<>();
		if (job.outputTail() != null) {
			for (String line : job.outputTail().split("\\R")) {
				add(lines, line);
			}
			return List.copyOf(lines);
		}
		try {
			long after = 0;
			for (int page = 0; page < MAX_PAGES; page++) {
				OutputPage read = runtime.output(job.id(), after, PAGE_BYTES, Duration.ZERO);
				read.chunks().forEach((chunk) -> add(lines, chunk.line()));
				if (read.chunks().isEmpty() || read.nextSeq() == after) {
					break;
				}
				after = read.nextSeq();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (UnknownJobException ex) {
			// deleted meanwhile: no output
		}
		return List.copyOf(lines);
	}

	private static void add(ArrayDeque<String> lines, String line) {
		lines.add(line);
		if (lines.size() > MAX_LINES) {
			lines.poll();
		}
	}

}
