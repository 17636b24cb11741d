package io.execra.store;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import io.execra.Event;
import io.execra.JobId;
import io.execra.OutputPage;
import io.execra.RawOutputPolicy;
import io.execra.StdStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw-output log files of jobs in one directory (see {@link RawOutputPolicy}), and the one place that knows
 * their format: {@code <job-id>.log} while the job runs, one line per output line ({@code seq TAB stream TAB text},
 * the stream as {@link StdStream#id()}), and {@code <job-id>.log.gz} once gzipped when the job is finalized.
 * <p>
 * The runtime writes and reads the files through this class; retention (or an application's own clean-up) deletes
 * them through it. Deletions are idempotent, so several application instances may sweep the same directory at
 * once. Instances are immutable and thread-safe; a {@link LogWriter} is not.
 */
public final class OutputLogFiles {

	private static final Logger logger = LoggerFactory.getLogger(OutputLogFiles.class);

	private static final String LOG = ".log";

	private static final String GZ = ".log.gz";

	private static final int BUFFER_SIZE = 64 * 1024;

	private final Path directory;

	private OutputLogFiles(Path directory) {
		this.directory = directory;
	}

	/**
	 * The files in a directory.
	 * @param directory the raw-output directory
	 * @return its files
	 */
	public static OutputLogFiles in(Path directory) {
		return new OutputLogFiles(directory);
	}

	/**
	 * Creates the raw-output directory if it is missing and checks that logs can be written to it.
	 * @param directory the directory, or {@code null} when there is none (nothing to check)
	 * @param setting the name of the setting or property the directory comes from, for the error
	 * @throws IllegalArgumentException naming the setting and the directory when it cannot be created or written
	 */
	public static void checkDirectory(@Nullable Path directory, String setting) {
		if (directory == null) {
			return;
		}
		try {
			Files.createDirectories(directory);
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalArgumentException("'" + setting + "' " + directory + " cannot be created: " + ex, ex);
		}
		if (!Files.isDirectory(directory) || !Files.isWritable(directory)) {
			throw new IllegalArgumentException("'" + setting + "' " + directory + " is not a writable directory");
		}
	}

	/** @return the directory */
	public Path directory() {
		return this.directory;
	}

	/**
	 * The file a job's output is written to while it runs.
	 * @param id the job
	 * @return {@code <job-id>.log} in the directory
	 */
	public Path logFile(JobId id) {
		return this.directory.resolve(id + LOG);
	}

	/**
	 * The file a job's output is kept in once gzipped.
	 * @param id the job
	 * @return {@code <job-id>.log.gz} in the directory
	 */
	public Path gzippedFile(JobId id) {
		return this.directory.resolve(id + GZ);
	}

	/**
	 * Creates the directory if needed and starts a job's log file, replacing any file of that name.
	 * @param id the job
	 * @return the writer, to close when the job is done
	 * @throws IOException if the file cannot be created
	 */
	public LogWriter create(JobId id) throws IOException {
		Files.createDirectories(this.directory);
		return new LogWriter(Files.newOutputStream(logFile(id)));
	}

	/**
	 * Reads the lines of a job's log, the gzipped file if there is one, else the plain one.
	 * @param id the job
	 * @param afterSeq only lines with a greater seq are read
	 * @param maxBytes soft page size in characters: at least one line is read
	 * @param page receives the lines, without their time
	 * @return whether the job has a log file
	 * @throws IOException if the file cannot be read
	 */
	public boolean read(JobId id, long afterSeq, int maxBytes, List<OutputPage.Chunk> page) throws IOException {
		Path gz = gzippedFile(id);
		Path plain = logFile(id);
		InputStream in;
		if (Files.exists(gz)) {
			in = new GZIPInputStream(Files.newInputStream(gz));
		}
		else if (Files.exists(plain)) {
			in = Files.newInputStream(plain);
		}
		else {
			return false;
		}
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
			readLines(reader, afterSeq, maxBytes, page);
		}
		return true;
	}

	private static void readLines(BufferedReader reader, long afterSeq, int maxBytes, List<OutputPage.Chunk> page)
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
			StdStream stream = StdStream.STDERR.id().equals(line.substring(tab1 + 1, tab2)) ? StdStream.STDERR
					: StdStream.STDOUT;
			page.add(new OutputPage.Chunk(seq, stream, text, null));
			bytes += text.length() + 1;
		}
	}

	/**
	 * Gzips a job's log file into {@link #gzippedFile} and deletes the plain one (a failure to delete it is logged:
	 * the gzipped file is read first).
	 * @param id the job
	 * @throws IOException if the gzipped file cannot be written
	 */
	public void gzip(JobId id) throws IOException {
		Path plain = logFile(id);
		try (InputStream in = Files.newInputStream(plain);
				OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzippedFile(id)), BUFFER_SIZE)) {
			in.transferTo(out);
		}
		try {
			Files.delete(plain);
		}
		catch (IOException ex) {
			logger.warn("Could not delete {} after gzipping it: {}", plain, ex.toString());
		}
	}

	/**
	 * Deletes a job's files, plain and gzipped.
	 * @param id the job
	 * @return the number of files deleted
	 */
	public int delete(JobId id) {
		return delete(logFile(id)) + delete(gzippedFile(id));
	}

	/**
	 * Deletes the log files last written before a cutoff, except those of the jobs to keep. Files whose names are
	 * not a job's log are left alone.
	 * @param cutoff files last modified before this are deleted
	 * @param keep whether a job's files are kept, such as a job that is still active
	 * @return the number of files deleted
	 */
	public int deleteOlderThan(Instant cutoff, Predicate<JobId> keep) {
		if (!Files.isDirectory(this.directory)) {
			return 0;
		}
		int deleted = 0;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory, "*.log{,.gz}")) {
			for (Path file : files) {
				JobId id = jobId(file);
				if (id != null && isOlder(file, cutoff) && !keep.test(id)) {
					deleted += delete(file);
				}
			}
		}
		catch (IOException ex) {
			logger.warn("Could not list raw-output files in {}: {}", this.directory, ex.toString());
		}
		return deleted;
	}

	private static @Nullable JobId jobId(Path file) {
		String name = file.getFileName().toString();
		String id = name.endsWith(GZ) ? name.substring(0, name.length() - GZ.length())
				: name.substring(0, name.length() - LOG.length());
		try {
			return JobId.parse(id);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static boolean isOlder(Path file, Instant cutoff) {
		try {
			return Files.readAttributes(file, BasicFileAttributes.class).lastModifiedTime().toInstant().isBefore(cutoff);
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int delete(Path file) {
		try {
			return Files.deleteIfExists(file) ? 1 : 0;
		}
		catch (IOException ex) {
			logger.warn("Could not delete raw-output file {}: {}", file, ex.toString());
			return 0;
		}
	}

	/**
	 * Writes a job's output lines to its log file, buffered. Not thread-safe.
	 */
	public static final class LogWriter implements Closeable {

		private final OutputStream stream;

		private final Writer writer;

		private LogWriter(OutputStream stream) {
			this.stream = stream;
			this.writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), BUFFER_SIZE);
		}

		/**
		 * Appends a line.
		 * @param line the line
		 * @throws IOException if it cannot be written
		 */
		public void write(Event.OutputAppended line) throws IOException {
			this.writer.write(Long.toString(line.seq()));
			this.writer.write('\t');
			this.writer.write(line.stream().id());
			this.writer.write('\t');
			this.writer.write(line.line());
			this.writer.write('\n');
		}

		/**
		 * Writes what is buffered, so that a read of the file sees every line written.
		 * @throws IOException if it cannot be written
		 */
		public void flush() throws IOException {
			this.writer.flush();
		}

		/**
		 * Closes the file, flushing what is buffered; errors are ignored (a failed write has reported them).
		 */
		@Override
		public void close() {
			try {
				this.writer.close();
			}
			catch (IOException ex) {
				// already reported by the write that failed, or nothing to lose
			}
			try {
				// a no-op if the writer closed it; else (its last flush failed, e.g. disk full) the descriptor leaked
				this.stream.close();
			}
			catch (IOException ex) {
				// nothing more to do
			}
		}

	}

}
