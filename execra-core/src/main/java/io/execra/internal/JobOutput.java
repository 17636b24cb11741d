package io.execra.internal;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import io.execra.Event;
import io.execra.JobId;
import io.execra.OutputPage;
import io.execra.StdStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.execra.internal.log.EventLog;
import io.execra.internal.log.LineRun;

/**
 * A job's retained output: the newest lines in memory (the {@link EventLog}'s retained output, bounded by bytes and
 * lines) and, when asked, every line in a log file ({@code <job-id>.log}, one line per output line:
 * {@code seq TAB stream TAB text}), gzipped on finalize. Reads by seq serve from memory, falling back to the file for
 * older lines. Not thread-safe: guarded by the job's lock.
 */
public final class JobOutput {

	private static final Logger logger = LoggerFactory.getLogger(JobOutput.class);

	private final JobId jobId;

	private final EventLog log;

	private final @Nullable Path directory;

	private final boolean gzip;

	private @Nullable Writer file;

	/** The file's own stream, closed explicitly: a writer whose flush fails on close leaves it open. */
	private @Nullable OutputStream fileStream;

	private @Nullable Path filePath;

	private boolean fileFailed;

	private long lastSeq;

	/** Seq of the newest line not kept in memory at all. */
	private long notKeptUpTo;

	public JobOutput(JobId jobId, EventLog log, @Nullable Path directory, boolean writeFile, boolean gzip) {
		this.jobId = jobId;
		this.log = log;
		this.directory = directory;
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
		if (this.file == null && !this.fileFailed && this.directory != null) {
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
		try {
			Files.createDirectories(this.directory);
			this.filePath = this.directory.resolve(this.jobId + ".log");
			this.fileStream = Files.newOutputStream(this.filePath);
			this.file = new BufferedWriter(new OutputStreamWriter(this.fileStream, StandardCharsets.UTF_8), 64 * 1024);
		}
		catch (IOException ex) {
			this.fileFailed = true;
			logger.warn("Could not open output log for job {} in {}: {}", this.jobId, this.directory, ex.toString());
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
		Writer writer = this.file;
		if (writer == null) {
			return null;
		}
		try {
			writer.write(Long.toString(chunk.seq()));
			writer.write('\t');
			writer.write(chunk.stream().id());
			writer.write('\t');
			writer.write(chunk.line());
			writer.write('\n');
			return null;
		}
		catch (IOException ex) {
			this.file = null;
			this.fileFailed = true;
			closeQuietly(writer, this.fileStream);
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
		Path path = this.filePath;
		if (path == null) {
			return;
		}
		try {
			if (this.file != null) {
				this.file.flush();
			}
			Path gz = path.resolveSibling(path.getFileName() + ".gz");
			boolean zipped = this.file == null && Files.exists(gz);
			try (InputStream in = zipped ? new GZIPInputStream(Files.newInputStream(gz)) : Files.newInputStream(path);
					BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
				readLines(reader, afterSeq, maxBytes, page);
			}
		}
		catch (IOException ex) {
			logger.debug("Could not read output log {}", path, ex);
		}
	}

	static void readLines(BufferedReader reader, long afterSeq, int maxBytes, List<OutputPage.Chunk> page)
			throws IOException {
		long bytes = 0;
		String line;
		while ((line = reader.readLine()) != null) {
			int tab1 = line.indexOf('\t');
			int tab2 = (tab1 < 0) ? -1 : line.indexOf('\t', tab1 + 1);
			if (tab2 < 0) {
				continue;
			}
			long seq = Long.parseLong(line.substring(0, tab1));
			if (seq <= afterSeq) {
				continue;
			}
			String text = line.substring(tab2 + 1);
			if (!page.isEmpty() && bytes + text.length() > maxBytes) {
				return;
			}
			StdStream stream = "stderr".equals(line.substring(tab1 + 1, tab2)) ? StdStream.STDERR : StdStream.STDOUT;
			page.add(new OutputPage.Chunk(seq, stream, text, null));
			bytes += text.length() + 1;
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
		Writer writer = this.file;
		this.file = null;
		if (writer == null) {
			return;
		}
		closeQuietly(writer, this.fileStream);
		if (this.gzip && this.filePath != null) {
			Path gz = this.filePath.resolveSibling(this.filePath.getFileName() + ".gz");
			try (InputStream in = Files.newInputStream(this.filePath);
					OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz), 64 * 1024)) {
				in.transferTo(out);
			}
			catch (IOException ex) {
				logger.warn("Could not gzip output log {}: {}", this.filePath, ex.toString());
				return;
			}
			try {
				Files.delete(this.filePath);
			}
			catch (IOException ex) {
				logger.warn("Could not delete {} after gzipping it: {}", this.filePath, ex.toString());
			}
		}
	}

	private static void closeQuietly(Writer writer, @Nullable OutputStream stream) {
		try {
			writer.close();
		}
		catch (IOException ex) {
			// already reported by the write that failed, or nothing to lose
		}
		if (stream != null) {
			try {
				// a no-op if the writer closed it; else (its last flush failed, e.g. disk full) the descriptor leaked
				stream.close();
			}
			catch (IOException ex) {
				// nothing more to do
			}
		}
	}

}
