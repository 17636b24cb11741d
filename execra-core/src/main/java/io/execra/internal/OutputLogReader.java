package io.execra.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import io.execra.Job;
import io.execra.OutputPage;
import org.jspecify.annotations.Nullable;

/**
 * Reads the output log file of a job that is no longer in memory ({@code <job-id>.log} or {@code .log.gz}).
 */
public final class OutputLogReader {

	private OutputLogReader() {
	}

	public static OutputPage read(@Nullable Path directory, Job job, long afterSeq, int maxBytes) {
		List<OutputPage.Chunk> chunks = new ArrayList<>();
		boolean noLog = true;
		if (directory != null) {
			Path plain = directory.resolve(job.id() + ".log");
			Path gz = directory.resolve(job.id() + ".log.gz");
			try {
				if (Files.exists(gz)) {
					readFrom(new GZIPInputStream(Files.newInputStream(gz)), afterSeq, maxBytes, chunks);
					noLog = false;
				}
				else if (Files.exists(plain)) {
					readFrom(Files.newInputStream(plain), afterSeq, maxBytes, chunks);
					noLog = false;
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not read the output log of job " + job.id(), ex);
			}
		}
		// nothing after Long.MAX_VALUE can be missed (and afterSeq + 1 would wrap)
		long missed = (noLog && afterSeq < Long.MAX_VALUE) ? afterSeq + 1 : 0;
		long next = chunks.isEmpty() ? afterSeq : chunks.get(chunks.size() - 1).seq();
		return new OutputPage(job.id(), chunks, next, chunks.isEmpty() ? missed : 0, job.exit() != null, job.exit(),
				job.isFinalized());
	}

	private static void readFrom(InputStream in, long afterSeq, int maxBytes, List<OutputPage.Chunk> chunks)
			throws IOException {
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
			JobOutput.readLines(reader, afterSeq, maxBytes, chunks);
		}
	}

}
