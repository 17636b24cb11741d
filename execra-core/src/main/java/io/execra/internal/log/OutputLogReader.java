package io.execra.internal.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.execra.Job;
import io.execra.OutputPage;
import io.execra.store.OutputLogFiles;
import org.jspecify.annotations.Nullable;

/**
 * Reads the output log file of a job that is no longer in memory (see {@link OutputLogFiles}).
 */
public final class OutputLogReader {

	private OutputLogReader() {
	}

	public static OutputPage read(@Nullable Path directory, Job job, long afterSeq, int maxBytes) {
		List<OutputPage.Chunk> chunks = new ArrayList<>();
		boolean noLog = true;
		if (directory != null) {
			try {
				noLog = !OutputLogFiles.in(directory).read(job.id(), afterSeq, maxBytes, chunks);
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

}
