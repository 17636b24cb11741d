package io.execra.internal.log;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.execra.Event;
import io.execra.JobId;
import io.execra.StdStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read's lines handed on from the decoder: undecoded where the batch allows it and the line lies whole in the
 * read, decoded otherwise, the same text either way.
 */
class LineBatchTests {

	private static final JobId JOB = JobId.generate(Clock.systemUTC());

	private static final Instant AT = Instant.ofEpochSecond(42);

	/** What the handlers got: the text, and whether it came undecoded. */
	private record Handed(String text, boolean split, boolean undecoded) {
	}

	private final List<Handed> handed = new ArrayList<>();

	private final List<LineRun> reads = new ArrayList<>();

	private final LineBatch batch = new LineBatch(JOB, StdStream.STDOUT,
			(stream, text, split, bytes, at) -> this.handed.add(new Handed(text, split, false)), (lines, refs, count) -> {
				assertThat(count).isBetween(1, LineBatch.RUN);
				this.runs.add(count);
				for (int i = 0; i < count; i++) {
					Event.OutputAppended event = lines.line(7, refs[i]);
					assertThat(event.at()).isEqualTo(AT);
					assertThat(event.stream()).isEqualTo(StdStream.STDOUT);
					this.handed.add(new Handed(event.line(), event.split(), true));
				}
				if (!this.reads.contains(lines)) {
					this.reads.add(lines);
				}
			});

	/** The sizes of the runs of undecoded lines handed on. */
	private final List<Integer> runs = new ArrayList<>();

	private final LineDecoder decoder = new LineDecoder(16, this.batch);

	private void read(String text, boolean undecoded) {
		read(text.getBytes(StandardCharsets.UTF_8), undecoded);
	}

	private void read(byte[] bytes, boolean undecoded) {
		// the pump's buffer is bigger than the read and reused: what it held before must not leak into lines
		byte[] buffer = Arrays.copyOf(bytes, bytes.length + 8);
		Arrays.fill(buffer, bytes.length, buffer.length, (byte) 'Z');
		this.batch.read(buffer, bytes.length);
		this.batch.start(AT, true, undecoded);
		this.decoder.feed(buffer, 0, bytes.length);
		// as the pump does at the end of each step of the decoder
		this.batch.flush();
		Arrays.fill(buffer, (byte) 'Y');
	}

	@Test
	void linesLyingWholeInTheReadStayUndecodedAndDecodeToTheSameText() {
		read("partial", true);
		read(" line\nnaïve\n\nlast\r\nand a line longer than sixteen bytes\nnext", true);
		this.decoder.finish();
		assertThat(this.handed).containsExactly(new Handed("partial line", false, false),
				new Handed("naïve", false, true), new Handed("", false, true), new Handed("last", false, true),
				new Handed("and a line longe", true, false), new Handed("r than sixteen b", true, false),
				new Handed("ytes", false, false), new Handed("next", false, false));
		// one copy of the read for its undecoded lines; the batch counts every line of the read, and the last
		assertThat(this.reads).hasSize(1);
		assertThat(this.batch.size()).isEqualTo(8);
	}

	@Test
	void invalidUtf8IsReplacedAsWhenDecodedAtOnce() {
		byte[] bytes = { 'a', (byte) 0xC3, '\n', (byte) 0xFF, 'b', '\n' };
		read(bytes, true);
		read(bytes, false);
		assertThat(this.handed).extracting(Handed::text).containsExactly("a\uFFFD", "\uFFFDb", "a\uFFFD", "\uFFFDb");
		assertThat(this.handed).extracting(Handed::undecoded).containsExactly(true, true, false, false);
	}

	@Test
	void aBatchThatMayNotKeepLinesUndecodedDecodesThem() {
		read("one\ntwo\n", false);
		assertThat(this.handed).containsExactly(new Handed("one", false, false), new Handed("two", false, false));
		assertThat(this.batch.size()).isEqualTo(2);
		assertThat(this.batch.bytes()).isEqualTo(6);
	}

	@Test
	void theCopyOfAReadHoldsItsWholeLinesFromTheFirstHandedOnUndecoded() {
		read("head", true);
		// "head" ends in this read and is decoded; the copy starts at "ab" and ends before the partial line
		read(" end\nab\r\ncd\n" + "p".repeat(10), true);
		assertThat(this.handed).extracting(Handed::text).containsExactly("head end", "ab", "cd");
		assertThat(this.reads).singleElement().extracting(LineRun::bytesHeld).isEqualTo("ab\r\ncd\n".length());
	}

	@Test
	void undecodedLinesAreHandedOnInRunsInOrderBeforeADecodedLineThatFollows() {
		StringBuilder read = new StringBuilder();
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < LineBatch.RUN * 2 + 10; i++) {
			read.append(i).append('\n');
			expected.add(Integer.toString(i));
		}
		// longer than the decoder's 16 bytes: decoded, in two parts, after every line before it
		read.append("a line longer than sixteen\n");
		expected.add("a line longer th");
		expected.add("an sixteen");
		read.append("end\n");
		expected.add("end");
		read(read.toString(), true);
		assertThat(this.handed).extracting(Handed::text).containsExactlyElementsOf(expected);
		assertThat(this.runs).containsExactly(LineBatch.RUN, LineBatch.RUN, 10, 1);
		assertThat(this.reads).hasSize(1);
	}

	@Test
	void eachReadGetsItsOwnCopy() {
		read("one\n", true);
		read("two\n", true);
		assertThat(this.handed).extracting(Handed::text).containsExactly("one", "two");
		assertThat(this.reads).hasSize(2);
	}

}
