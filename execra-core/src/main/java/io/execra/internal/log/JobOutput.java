package io.execra.internal.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import io.execra.Event;
import io.execra.JobId;
import io.execra.OutputPage;
import io.execra.store.OutputLogFiles;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's retained output: the newest lines in memory (the {@link EventLog}'s retained output, bounded by bytes and
 * lines) and, when asked, every line in the job's log file (see {@link OutputLogFiles}), gzipped on finalize. Reads
 * by seq serve from memory, falling back to the file for older lines. Not thread-safe: guarded by the job's lock.
 */
public final class JobOutput {

	private static final Logger logger = LoggerFactory.getLogger(JobOutput.class);

	private final JobId jobId;

	private final EventLog log;

	private final @Nullable OutputLogFiles files;

	private final boolean gzip;

	private OutputLogFiles.@Nullable LogWriter file;

	private @Nullable Path filePath;

	private boolean fileFailed;

	private long lastSeq;

	/** Seq of the newest line not kept in memory at all. */
	private long notKeptUpTo;

	public JobOutput(JobId jobId, EventLog log, @Nullable Path directory, boolean writeFile, boolean gzip) {
		this.jobId = jobId;
		this.log = log;
		this.files = (directory != null) ? OutputLogFiles.in(directory) : null;
		this.gzip = gzip;
		if (writeFile && directory != null) {
			openFile();
		}
	}

	/**
	 * Starts writing the log file if not yet doing so (spill), with what memory still holds.
	 */
	public void spillToFile() {
		this.log.publishStaged();
		if (this.file == null && !this.fileFailed && this.files != null) {
			openFile();
			for (Event.OutputAppended line = this.log.outputAfter(0); line != null; line = this.log
				.outputAfter(line.seq())) {
				writeToFile(line);
			}
		}
	}

	public boolean writesFile() {
		return this.file != null;
	}

	private void openFile() {
		OutputLogFiles files = this.files;
		if (files == null) {
			return;
		}
		try {
			this.filePath = files.logFile(this.jobId);
			this.file = files.create(this.jobId);
		}
		catch (IOException ex) {
			this.fileFailed = true;
			logger.warn("Could not open output log for job {} in {}: {}", this.jobId, files.directory(),
					ex.toString());
		}
	}

	/**
	 * Keeps a line: stages it in the job's event log (as retained output when kept in memory) and writes it to the
	 * log file, if there is one.
	 * @param line the line
	 * @param inMemory whether to keep it in memory as output too
	 * @return an error text if the file write failed for the first time, else {@code null}
	 */
	public @Nullable String add(Event.OutputAppended line, boolean inMemory) {
		this.lastSeq = line.seq();
		if (inMemory && this.log.retainsOutput()) {
			this.log.stageLine(line, true);
		}
		else {
			// the lines kept before are in the log file if there is one (see spillToFile)
			this.log.releaseOutput();
			this.log.stageLine(line, false);
			this.notKeptUpTo = line.seq();
		}
		return writeToFile(line);
	}

	/**
	 * Keeps consecutive lines of one read like {@link #add(Event.OutputAppended, boolean)}, undecoded (see
	 * {@link LineRun}) while there is no log file to write their text to, staged in the event log in one go
	 * up to the first line whose staging makes a publish due (see {@link EventLog#publishDue()}).
	 * @param seq the seq of the first line
	 * @param run the lines of their read
	 * @param refs their references into them
	 * @param from the index of the first line's reference
	 * @param to the index after the last line's
	 * @param inMemory whether to keep them in memory as output too
	 * @return how many were kept, at least one
	 * @throws IllegalStateException if the output is written to a log file
	 */
	public int add(long seq, LineRun run, long[] refs, int from, int to, boolean inMemory) {
		if (this.file != null) {
			throw writesFileError();
		}
		boolean retained = inMemory && this.log.retainsOutput();
		if (!retained) {
			this.log.releaseOutput();
		}
		int staged = this.log.stage(seq, run, refs, from, to, retained);
		this.lastSeq = seq + staged - 1;
		if (!retained) {
			this.notKeptUpTo = this.lastSeq;
		}
		return staged;
	}

	private IllegalStateException writesFileError() {
		return new IllegalStateException("lines written to " + this.filePath + " are to be decoded");
	}

	private @Nullable String writeToFile(Event.OutputAppended chunk) {
		OutputLogFiles.LogWriter writer = this.file;
		if (writer == null) {
			return null;
		}
		try {
			writer.write(chunk);
			return null;
		}
		catch (IOException ex) {
			this.file = null;
			this.fileFailed = true;
			writer.close();
			return "could not write output log " + this.filePath + ": " + ex.getMessage();
		}
	}

	/**
	 * Reads lines with seq greater than {@code afterSeq}.
	 * @param afterSeq the last seq seen
	 * @param maxBytes soft page size
	 * @param missed receives the first unavailable seq, if lines were skipped
	 * @return the lines
	 */
	public List<OutputPage.Chunk> read(long afterSeq, int maxBytes, long[] missed) {
		this.log.publishStaged();
		List<OutputPage.Chunk> page = new ArrayList<>();
		if (afterSeq < Math.max(this.notKeptUpTo, this.log.outputEvictedUpTo())) {
			if (hasFile()) {
				readFile(afterSeq, maxBytes, page);
				if (!page.isEmpty()) {
					return page;
				}
			}
			else {
				missed[0] = afterSeq + 1;
			}
		}
		long bytes = 0;
		for (Event.OutputAppended line = this.log.outputAfter(afterSeq); line != null; line = this.log
			.outputAfter(line.seq())) {
			if (!page.isEmpty() && bytes + line.line().length() > maxBytes) {
				break;
			}
			page.add(new OutputPage.Chunk(line.seq(), line.stream(), line.line(), line.at()));
			bytes += line.line().length() + 1;
		}
		return page;
	}

	private boolean hasFile() {
		return this.filePath != null && !this.fileFailed;
	}

	private void readFile(long afterSeq, int maxBytes, List<OutputPage.Chunk> page) {
		OutputLogFiles files = this.files;
		if (files == null) {
			return;
		}
		try {
			if (this.file != null) {
				this.file.flush();
			}
			files.read(this.jobId, afterSeq, maxBytes, page);
		}
		catch (IOException ex) {
			logger.debug("Could not read output log {}", this.filePath, ex);
		}
	}

	/** @return the seq of the last line added */
	public long lastSeq() {
		return this.lastSeq;
	}

	/**
	 * The end of the retained output, for the finalized snapshot.
	 * @param maxBytes characters at most
	 * @return the tail, or {@code null} when there was no output
	 */
	public @Nullable String tail(int maxBytes) {
		this.log.publishStaged();
		Event.OutputAppended newest = this.log.outputBefore(Long.MAX_VALUE);
		if (newest == null || maxBytes <= 0) {
			return null;
		}
		ArrayDeque<String> lines = new ArrayDeque<>();
		int size = 0;
		for (Event.OutputAppended line = newest; line != null; line = this.log.outputBefore(line.seq())) {
			String text = line.line();
			if (size + text.length() + 1 > maxBytes) {
				if (lines.isEmpty()) {
					lines.addFirst(text.substring(text.length() - maxBytes));
				}
				break;
			}
			lines.addFirst(text);
			size += text.length() + 1;
		}
		return String.join("\n", lines);
	}

	/**
	 * Closes the log file, gzipping it if asked.
	 */
	public void close() {
		OutputLogFiles.LogWriter writer = this.file;
		this.file = null;
		if (writer == null) {
			return;
		}
		writer.close();
		if (this.gzip && this.files != null) {
			try {
				this.files.gzip(this.jobId);
			}
			catch (IOException ex) {
				logger.warn("Could not gzip output log {}: {}", this.filePath, ex.toString());
			}
		}
	}

}
