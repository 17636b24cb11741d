package io.execra.autoconfigure.retention;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Collection;
import java.util.function.Predicate;

import io.execra.JobId;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The raw-output files of jobs in one output directory: {@code <job-id>.log} while the job runs,
 * {@code <job-id>.log.gz} once gzipped. Deletions are idempotent, so several application instances may sweep the
 * same directory at once.
 */
final class OutputFiles {

	private static final Log logger = LogFactory.getLog(OutputFiles.class);

	private static final String LOG = ".log";

	private static final String GZ = ".log.gz";

	private final Path directory;

	OutputFiles(Path directory) {
		this.directory = directory;
	}

	/**
	 * Deletes the files of the given jobs.
	 * @param ids the jobs
	 * @return the number of files deleted
	 */
	int deleteFilesOf(Collection<JobId> ids) {
		int deleted = 0;
		for (JobId id : ids) {
			deleted += delete(this.directory.resolve(id + LOG)) + delete(this.directory.resolve(id + GZ));
		}
		return deleted;
	}

	/**
	 * Deletes the files last written before a cutoff, except those of active jobs.
	 * @param cutoff files older than this are deleted
	 * @param active whether a job is still active (its file is kept)
	 * @return the number of files deleted
	 */
	int deleteOlderThan(Instant cutoff, Predicate<JobId> active) {
		if (!Files.isDirectory(this.directory)) {
			return 0;
		}
		int deleted = 0;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory, "*.log{,.gz}")) {
			for (Path file : files) {
				JobId id = jobId(file);
				if (id != null && isOlder(file, cutoff) && !active.test(id)) {
					deleted += delete(file);
				}
			}
		}
		catch (IOException ex) {
			logger.warn("Could not list raw-output files in " + this.directory + ": " + ex);
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
			logger.warn("Could not delete raw-output file " + file + ": " + ex);
			return 0;
		}
	}

}
