package io.execra;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import io.execra.support.TestJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Output decoding through real processes, retained output reads, log files, and stdin.
 */
class OutputTests {

	private ExecraRuntime runtime = ExecraRuntime.builder().maxLineLength(64 * 1024).build();

	@AfterEach
	void close() {
		this.runtime.close();
	}

	@Test
	void invalidUtf8IsReplacedNotDropped() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("printf", "ok\\377\\376done\\n"));
		job.await();
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).containsExactly("ok\uFFFD\uFFFDdone");
	}

	@Test
	void tenMegabyteSingleLineIsSplitIntoFlaggedBoundedParts() throws Exception {
		JobHandle job = this.runtime.spawn(Command.shell("head -c 10000000 /dev/zero | tr '\\0' a; echo; echo after"));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		List<Event.OutputAppended> lines = new ArrayList<>();
		long afterSeq = 0;
		while (true) {
			OutputPage page = this.runtime.output(job.id(), afterSeq, 1024 * 1024, Duration.ZERO);
			if (page.chunks().isEmpty()) {
				break;
			}
			afterSeq = page.nextSeq();
		}
		for (Event event : this.runtime.handle(job.id()).map(TestJobsAccess::events).orElseThrow()) {
			if (event instanceof Event.OutputAppended output) {
				lines.add(output);
			}
		}
		// the replay window holds the newest parts only; each part is bounded and all but the last are flagged
		assertThat(lines).allSatisfy((line) -> assertThat(line.line().length()).isLessThanOrEqualTo(64 * 1024));
		assertThat(lines.get(lines.size() - 1).line()).isEqualTo("after");
		assertThat(lines.get(lines.size() - 2).split()).isFalse();
		assertThat(lines.get(lines.size() - 3).split()).isTrue();
		long total = job.snapshot().outputTail().length();
		assertThat(total).isPositive();
	}

	@Test
	void carriageReturnProgressLinesArriveOneByOne() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("printf", "10%%\\r20%%\\r30%%\\rdone\\n"));
		job.await();
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).containsExactly("10%", "20%", "30%", "done");
	}

	@Test
	void finalLineWithoutNewlineIsKept() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("printf", "first\\nno newline"));
		job.await();
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).containsExactly("first", "no newline");
	}

	@Test
	void stderrLinesAreTaggedWithTheirStream() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("sh", "-c", "echo out; echo err >&2"));
		job.await();
		List<Event> events = TestJobs.allEvents(job);
		assertThat(events).filteredOn(Event.OutputAppended.class::isInstance)
			.extracting((e) -> ((Event.OutputAppended) e).stream() + ":" + ((Event.OutputAppended) e).line())
			.containsExactlyInAnyOrder("STDOUT:out", "STDERR:err");
	}

	@Test
	void stdinIsClosedByDefaultSoReadersSeeEndOfFile() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("cat"));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).isEmpty();
	}

	@Test
	void stdinBytesAreWrittenThenClosed() throws Exception {
		JobHandle job = this.runtime
			.spawn(Command.of("cat").stdin(Stdin.bytes("line 1\nline 2\n".getBytes(StandardCharsets.UTF_8))));
		job.await();
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).containsExactly("line 1", "line 2");
		assertThat(job.snapshot().command().stdin()).isEqualTo("bytes");
		assertThat(job.snapshot().command().toString()).doesNotContain("line 1");
	}

	@Test
	void stdinFromAFile(@TempDir Path dir) throws Exception {
		Path input = Files.writeString(dir.resolve("in.txt"), "from file\n");
		JobHandle job = this.runtime.spawn(Command.of("cat").stdin(Stdin.file(input)));
		job.await();
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).containsExactly("from file");
	}

	@Test
	void interactiveStdinTakesWritesUntilClosed() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("cat").stdin(Stdin.pipe()));
		job.writeLine("hello");
		job.write("world\n".getBytes(StandardCharsets.UTF_8));
		job.closeStdin();
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(TestJobs.lines(TestJobs.allEvents(job))).containsExactly("hello", "world");
		assertThatThrownBy(() -> job.writeLine("too late")).isInstanceOf(StdinClosedException.class)
			.hasMessageContaining(job.id().toString());
	}

	@Test
	void writingToAJobWhoseStdinIsNotAPipeIsAClearError() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("sleep", "5"));
		assertThatThrownBy(() -> job.writeLine("x")).isInstanceOf(StdinClosedException.class)
			.hasMessageContaining("not pipe");
		job.cancel();
		job.await();
	}

	@Test
	void readingWithAfterSeqWhileTheJobRunsReturnsEveryLineExactlyOnce() throws Exception {
		JobHandle job = this.runtime.spawn(Command.shell("for i in $(seq 1 3000); do echo line $i; done"));
		List<String> read = new ArrayList<>();
		long afterSeq = 0;
		while (true) {
			OutputPage page = this.runtime.output(job.id(), afterSeq, 4096, Duration.ofSeconds(5));
			page.chunks().forEach((chunk) -> read.add(chunk.line()));
			afterSeq = page.nextSeq();
			assertThat(page.missedFrom()).isZero();
			if (page.closed() && page.chunks().isEmpty()) {
				break;
			}
		}
		assertThat(read).hasSize(3000);
		for (int i = 0; i < 3000; i++) {
			assertThat(read.get(i)).isEqualTo("line " + (i + 1));
		}
	}

	@Test
	void outputLogFileKeepsEveryLineAndIsGzippedOnFinalize(@TempDir Path dir) throws Exception {
		this.runtime.close();
		this.runtime = ExecraRuntime.builder().outputLog(dir, true).retainedOutput(1024, 10).build();
		JobHandle job = this.runtime.spawn(Command.of("sh", "-c", "seq 1 500; echo oops >&2"));
		job.await();
		Path gz = dir.resolve(job.id() + ".log.gz");
		assertThat(gz).exists();
		assertThat(dir.resolve(job.id() + ".log")).doesNotExist();
		List<String> fileLines;
		try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
			fileLines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
		}
		assertThat(fileLines).hasSize(501);
		assertThat(fileLines).filteredOn((line) -> line.contains("\tstdout\t"))
			.extracting((line) -> line.substring(line.lastIndexOf('\t') + 1))
			.containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 500).mapToObj(Integer::toString).toList());
		assertThat(fileLines).allMatch((line) -> line.matches("\\d+\t(stdout|stderr)\t.*"));
		assertThat(fileLines).anyMatch((line) -> line.endsWith("\tstderr\toops"));
		// memory keeps only the last 10 lines, yet every line can be read by seq from the file
		List<String> read = new ArrayList<>();
		long afterSeq = 0;
		OutputPage page;
		do {
			page = this.runtime.output(job.id(), afterSeq, 2048, Duration.ZERO);
			page.chunks().forEach((chunk) -> read.add(chunk.line()));
			afterSeq = page.nextSeq();
		}
		while (!page.chunks().isEmpty());
		assertThat(read).hasSize(501);
	}

	@Test
	void outputSpillingToItsLogFileInTheMiddleOfAReadKeepsEveryLineOnce(@TempDir Path dir) throws Exception {
		this.runtime.close();
		this.runtime = ExecraRuntime.builder()
			.outputLimit(1000, OutputLimitStrategy.SPILL_TO_FILE)
			.rawOutput(RawOutputPolicy.MEMORY, dir)
			// the stream below reads every line however late its thread runs
			.replayLimits(50_000, 64L * 1024 * 1024)
			.build();
		// one write of 20,000 lines: the limit passes after about 250 of them, in the middle of the first read
		JobHandle job = this.runtime.spawn(Command.shell("seq 1 20000 > " + dir.resolve("lines") + " && cat "
				+ dir.resolve("lines")));
		List<String> streamed = TestJobs.lines(TestJobs.allEvents(job));
		List<String> expected = java.util.stream.IntStream.rangeClosed(1, 20000).mapToObj(Integer::toString).toList();
		assertThat(streamed).containsExactlyElementsOf(expected);
		List<String> read = new ArrayList<>();
		long afterSeq = 0;
		OutputPage page;
		do {
			page = this.runtime.output(job.id(), afterSeq, 64 * 1024, Duration.ZERO);
			page.chunks().forEach((chunk) -> read.add(chunk.line()));
			afterSeq = page.nextSeq();
		}
		while (!page.chunks().isEmpty());
		assertThat(read).containsExactlyElementsOf(expected);
	}

	@Test
	void twoHundredMegabytesOfOutputKeepHeapGrowthBounded() throws Exception {
		long baseline = usedHeapAfterGc();
		JobHandle job = this.runtime.spawn(Command.shell("yes 'execra output line of about one hundred bytes, repeated to make 200 MB of output...........' | head -c 200000000"));
		long peak = baseline;
		while (!job.outcome().isDone()) {
			Thread.sleep(200);
			peak = Math.max(peak, usedHeapAfterGc());
		}
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		long growth = Math.max(peak, usedHeapAfterGc()) - baseline;
		System.out.printf("200 MB of output: heap growth after GC %.1f MB (baseline %.1f MB)%n", growth / 1e6,
				baseline / 1e6);
		assertThat(growth).isLessThan(32L * 1024 * 1024);
	}

	private static long usedHeapAfterGc() {
		return io.execra.support.HeapUsage.liveAfterGc();
	}

	/** Reads the events still in a job's window. */
	private static final class TestJobsAccess {

		static List<Event> events(JobHandle handle) {
			try (EventStream stream = handle.events()) {
				List<Event> events = new ArrayList<>();
				Event event;
				while ((event = stream.next(Duration.ofMillis(100))) != null) {
					if (!(event instanceof Event.Lagged)) {
						events.add(event);
					}
				}
				return events;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}


}
