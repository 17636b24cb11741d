package io.execra.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import io.execra.Event;
import io.execra.JobId;
import io.execra.OutputPage;
import io.execra.StdStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The raw-output log files: their names, their layout written and read back, plain and gzipped, and their
 * deletion.
 */
class OutputLogFilesTests {

	private static final JobId JOB = JobId.generate(Clock.systemUTC());

	@TempDir
	Path directory;

	private static Event.OutputAppended line(long seq, StdStream stream, String text) {
		return new Event.OutputAppended(JOB, seq, Instant.EPOCH, stream, text, false);
	}

	private OutputLogFiles filesWith(String... lines) throws IOException {
		OutputLogFiles files = OutputLogFiles.in(this.directory);
		try (OutputLogFiles.LogWriter writer = files.create(JOB)) {
			for (int i = 0; i < lines.length; i++) {
				writer.write(line(i + 1, (i % 2 == 0) ? StdStream.STDOUT : StdStream.STDERR, lines[i]));
			}
		}
		return files;
	}

	private static List<OutputPage.Chunk> read(OutputLogFiles files, long afterSeq, int maxBytes) throws IOException {
		List<OutputPage.Chunk> page = new ArrayList<>();
		assertThat(files.read(JOB, afterSeq, maxBytes, page)).isTrue();
		return page;
	}

	@Test
	void namesTheFilesAfterTheJob() {
		OutputLogFiles files = OutputLogFiles.in(this.directory);
		assertThat(files.directory()).isEqualTo(this.directory);
		assertThat(files.logFile(JOB)).isEqualTo(this.directory.resolve(JOB + ".log"));
		assertThat(files.gzippedFile(JOB)).isEqualTo(this.directory.resolve(JOB + ".log.gz"));
	}

	@Test
	void writesOneLinePerOutputLineWithSeqAndStream() throws IOException {
		OutputLogFiles files = filesWith("hello", "oops");
		assertThat(Files.readAllLines(files.logFile(JOB))).containsExactly("1\tstdout\thello", "2\tstderr\toops");
	}

	@Test
	void createsTheDirectoryWhenMissing() throws IOException {
		OutputLogFiles files = OutputLogFiles.in(this.directory.resolve("a/b"));
		files.create(JOB).close();
		assertThat(files.logFile(JOB)).exists();
	}

	@Test
	void readsTheLinesBackWithTheirStreamsAndTabsInTheirText() throws IOException {
		OutputLogFiles files = filesWith("a\tb", "c");
		List<OutputPage.Chunk> page = read(files, 0, Integer.MAX_VALUE);
		assertThat(page).extracting(OutputPage.Chunk::seq).containsExactly(1L, 2L);
		assertThat(page).extracting(OutputPage.Chunk::line).containsExactly("a\tb", "c");
		assertThat(page).extracting(OutputPage.Chunk::stream).containsExactly(StdStream.STDOUT, StdStream.STDERR);
	}

	@Test
	void readsOnlyLinesAfterTheSeqAndStopsAtThePageSize() throws IOException {
		OutputLogFiles files = filesWith("0123456789", "0123456789", "0123456789", "0123456789");
		assertThat(read(files, 1, 15)).extracting(OutputPage.Chunk::seq).containsExactly(2L);
		assertThat(read(files, 1, 25)).extracting(OutputPage.Chunk::seq).containsExactly(2L, 3L);
		assertThat(read(files, 4, 100)).isEmpty();
	}

	@Test
	void readsAtLeastOneLineLongerThanThePage() throws IOException {
		OutputLogFiles files = filesWith("a line longer than the page");
		assertThat(read(files, 0, 1)).extracting(OutputPage.Chunk::line).containsExactly("a line longer than the page");
	}

	@Test
	void readsAWriterFlushedLinesWhileItIsOpen() throws IOException {
		OutputLogFiles files = OutputLogFiles.in(this.directory);
		try (OutputLogFiles.LogWriter writer = files.create(JOB)) {
			writer.write(line(1, StdStream.STDOUT, "so far"));
			writer.flush();
			assertThat(read(files, 0, 100)).extracting(OutputPage.Chunk::line).containsExactly("so far");
		}
	}

	@Test
	void gzipReplacesThePlainFileAndReadsStillFindTheLines() throws IOException {
		OutputLogFiles files = filesWith("one", "two");
		files.gzip(JOB);
		assertThat(files.logFile(JOB)).doesNotExist();
		try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(files.gzippedFile(JOB)))) {
			assertThat(new String(in.readAllBytes())).isEqualTo("1\tstdout\tone\n2\tstderr\ttwo\n");
		}
		assertThat(read(files, 1, 100)).extracting(OutputPage.Chunk::line).containsExactly("two");
	}

	@Test
	void readsTheGzippedFileRatherThanAPlainOneLeftBeside() throws IOException {
		OutputLogFiles files = filesWith("kept");
		files.gzip(JOB);
		Files.writeString(files.logFile(JOB), "1\tstdout\tleft over\n");
		assertThat(read(files, 0, 100)).extracting(OutputPage.Chunk::line).containsExactly("kept");
	}

	@Test
	void readTellsWhenTheJobHasNoFile() throws IOException {
		List<OutputPage.Chunk> page = new ArrayList<>();
		assertThat(OutputLogFiles.in(this.directory).read(JOB, 0, 100, page)).isFalse();
		assertThat(page).isEmpty();
	}

	@Test
	void deleteRemovesBothFilesOfTheJobAndIsIdempotent() throws IOException {
		OutputLogFiles files = filesWith("one");
		Files.writeString(files.gzippedFile(JOB), "");
		JobId other = JobId.generate(Clock.systemUTC());
		Files.writeString(files.logFile(other), "");
		assertThat(files.delete(JOB)).isEqualTo(2);
		assertThat(files.delete(JOB)).isZero();
		assertThat(files.logFile(other)).exists();
	}

	@Test
	void deleteOlderThanKeepsNewerFilesKeptJobsAndOtherFiles() throws IOException {
		OutputLogFiles files = OutputLogFiles.in(this.directory);
		Instant cutoff = Instant.parse("2026-01-01T00:00:00Z");
		FileTime old = FileTime.from(cutoff.minus(Duration.ofDays(1)));
		JobId oldJob = JobId.generate(Clock.systemUTC());
		JobId keptJob = JobId.generate(Clock.systemUTC());
		JobId newJob = JobId.generate(Clock.systemUTC());
		Path oldPlain = Files.setLastModifiedTime(Files.writeString(files.logFile(oldJob), ""), old);
		Path oldGzipped = Files.setLastModifiedTime(Files.writeString(files.gzippedFile(oldJob), ""), old);
		Path kept = Files.setLastModifiedTime(Files.writeString(files.logFile(keptJob), ""), old);
		Path newer = Files.writeString(files.gzippedFile(newJob), "");
		Path foreign = Files.setLastModifiedTime(Files.writeString(this.directory.resolve("app.log"), ""), old);
		assertThat(files.deleteOlderThan(cutoff, keptJob::equals)).isEqualTo(2);
		assertThat(oldPlain).doesNotExist();
		assertThat(oldGzipped).doesNotExist();
		assertThat(kept).exists();
		assertThat(newer).exists();
		assertThat(foreign).exists();
	}

	@Test
	void deleteOlderThanInAMissingDirectoryDeletesNothing() {
		assertThat(OutputLogFiles.in(this.directory.resolve("missing")).deleteOlderThan(Instant.MAX, (id) -> false))
			.isZero();
	}

	@Test
	void checkDirectoryCreatesAMissingDirectory() {
		Path missing = this.directory.resolve("logs/raw");
		OutputLogFiles.checkDirectory(missing, "outputDirectory");
		assertThat(missing).isDirectory();
	}

	@Test
	void checkDirectoryNamesTheSettingAndTheDirectory() throws IOException {
		Path file = Files.writeString(this.directory.resolve("a-file"), "not a directory");
		assertThatIllegalArgumentException().isThrownBy(() -> OutputLogFiles.checkDirectory(file, "outputDirectory"))
			.withMessageContaining("'outputDirectory'")
			.withMessageContaining(file.toString())
			.withMessageContaining("cannot be created");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OutputLogFiles.checkDirectory(file.resolve("logs"), "outputDirectory"))
			.withMessageContaining("'outputDirectory'")
			.withMessageContaining(file.resolve("logs").toString())
			.withMessageContaining("cannot be created");
	}

}
