package io.execra.internal.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Line framing: terminators, lossy UTF-8, the line cap.
 */
class LineDecoderTests {

	private record Decoded(String text, boolean split) {
	}

	private final List<Decoded> lines = new ArrayList<>();

	private LineDecoder decoder(int max) {
		return new LineDecoder(max, (text, split, bytes) -> this.lines.add(new Decoded(text, split)));
	}

	private List<String> texts() {
		return this.lines.stream().map(Decoded::text).toList();
	}

	private void feed(LineDecoder decoder, String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		decoder.feed(bytes, 0, bytes.length);
	}

	@Test
	void newlineCrLfAndBareCrEachEndALine() {
		LineDecoder decoder = decoder(1024);
		feed(decoder, "a\nb\r\nc\rd\n");
		decoder.finish();
		assertThat(texts()).containsExactly("a", "b", "c", "d");
	}

	@Test
	void crLfSplitAcrossReadsIsOneTerminator() {
		LineDecoder decoder = decoder(1024);
		feed(decoder, "a\r");
		feed(decoder, "\nb\n");
		decoder.finish();
		assertThat(texts()).containsExactly("a", "b");
	}

	@Test
	void progressBarsWithCarriageReturnsBecomeLines() {
		LineDecoder decoder = decoder(1024);
		feed(decoder, "10%\r20%\r30%\r100%\n");
		decoder.finish();
		assertThat(texts()).containsExactly("10%", "20%", "30%", "100%");
	}

	@Test
	void emptyLinesAndAFinalPartialLineAreKept() {
		LineDecoder decoder = decoder(1024);
		feed(decoder, "a\n\n\nlast");
		decoder.finish();
		assertThat(texts()).containsExactly("a", "", "", "last");
	}

	@Test
	void invalidUtf8BecomesReplacementCharacters() {
		LineDecoder decoder = decoder(1024);
		byte[] bytes = { 'o', 'k', (byte) 0xff, (byte) 0xfe, '!', '\n' };
		decoder.feed(bytes, 0, bytes.length);
		decoder.finish();
		assertThat(texts()).containsExactly("ok\uFFFD\uFFFD!");
	}

	@Test
	void multiByteCharactersSplitAcrossReadsAreDecodedWhole() {
		LineDecoder decoder = decoder(1024);
		byte[] bytes = "é€😀\n".getBytes(StandardCharsets.UTF_8);
		for (byte b : bytes) {
			decoder.feed(new byte[] { b }, 0, 1);
		}
		decoder.finish();
		assertThat(texts()).containsExactly("é€😀");
	}

	@Test
	void longLinesAreSplitIntoFlaggedPartsWithoutTearingCharacters() {
		LineDecoder decoder = decoder(10);
		feed(decoder, "abcdefghi€jklmnopqrstuvwxyz\nshort\n");
		decoder.finish();
		assertThat(this.lines).allSatisfy((line) -> assertThat(line.text().getBytes(StandardCharsets.UTF_8).length)
			.isLessThanOrEqualTo(10));
		assertThat(String.join("", texts().subList(0, texts().size() - 1))).isEqualTo("abcdefghi€jklmnopqrstuvwxyz");
		assertThat(this.lines.get(0)).isEqualTo(new Decoded("abcdefghi", true));
		assertThat(this.lines.get(this.lines.size() - 2).split()).isFalse();
		assertThat(this.lines.get(this.lines.size() - 1)).isEqualTo(new Decoded("short", false));
		assertThat(texts()).noneMatch((text) -> text.contains("\uFFFD"));
	}

	@Test
	void aPartialLineCanBeFlushedAsASplitLineAndItsEndFollows() {
		LineDecoder decoder = decoder(1024);
		feed(decoder, "Proceed? [y/N] ");
		assertThat(decoder.hasPartial()).isTrue();
		decoder.flushPartial();
		assertThat(decoder.hasPartial()).isFalse();
		feed(decoder, "answered\n");
		decoder.finish();
		assertThat(this.lines).containsExactly(new Decoded("Proceed? [y/N] ", true), new Decoded("answered", false));
	}

	@Test
	void linesDoNotDependOnHowTheBytesAreSplitIntoReads() {
		Random random = new Random(7);
		byte[] alphabet = "ab\n\r\n\r\u00e9x".getBytes(StandardCharsets.UTF_8);
		for (int round = 0; round < 300; round++) {
			byte[] input = new byte[random.nextInt(200)];
			for (int i = 0; i < input.length; i++) {
				input[i] = alphabet[random.nextInt(alphabet.length)];
			}
			int max = 4 + random.nextInt(40);
			List<Decoded> whole = decode(max, input, input.length);
			assertThat(decode(max, input, 1)).as("round %d", round).isEqualTo(whole);
			assertThat(decode(max, input, 1 + random.nextInt(20))).as("round %d", round).isEqualTo(whole);
		}
	}

	@Test
	void asciiAndOtherLinesAreDecodedAlikeWhereverTheirBytesFallInAWord() {
		Random random = new Random(11);
		String[] pieces = { "a", "b", "7", " ", "\u00e9", "\u20ac", "\ud83d\ude00", "\u00ff" };
		for (int round = 0; round < 500; round++) {
			List<String> expected = new ArrayList<>();
			StringBuilder input = new StringBuilder();
			for (int line = random.nextInt(12); line > 0; line--) {
				StringBuilder text = new StringBuilder();
				for (int n = random.nextInt(20); n > 0; n--) {
					// mostly ASCII lines, some with a character or more beyond it
					text.append(pieces[random.nextInt((random.nextInt(3) == 0) ? pieces.length : 4)]);
				}
				expected.add(text.toString());
				input.append(text).append('\n');
			}
			this.lines.clear();
			feed(decoder(1024), input.toString());
			assertThat(texts()).as("round %d", round).isEqualTo(expected);
		}
	}

	@Test
	void invalidUtf8AfterAnAsciiLineInTheSameWordStaysInItsOwnLine() {
		LineDecoder decoder = decoder(1024);
		byte[] bytes = { 'o', 'k', '\n', (byte) 0xC3, 'x', '\n', 'a', (byte) 0xFF, '\n' };
		decoder.feed(bytes, 0, bytes.length);
		assertThat(texts()).containsExactly("ok", "\ufffdx", "a\ufffd");
	}

	@Test
	void terminatorsAreFoundAtEveryPositionOfAWord() {
		for (int length = 0; length < 24; length++) {
			for (int at = 0; at < length; at++) {
				for (byte terminator : new byte[] { '\n', '\r' }) {
					byte[] bytes = "x\u00ff".repeat(12).getBytes(StandardCharsets.UTF_8);
					bytes[at] = terminator;
					assertThat(LineDecoder.indexOfTerminator(bytes, 0, length)).isEqualTo(at);
					assertThat(LineDecoder.indexOfTerminator(bytes, at + 1, length)).isEqualTo(length);
				}
			}
		}
	}

	private static List<Decoded> decode(int max, byte[] input, int chunk) {
		List<Decoded> decoded = new ArrayList<>();
		LineDecoder decoder = new LineDecoder(max, (text, split, bytes) -> decoded.add(new Decoded(text, split)));
		for (int offset = 0; offset < input.length; offset += chunk) {
			decoder.feed(input, offset, Math.min(chunk, input.length - offset));
		}
		decoder.finish();
		return decoded;
	}

}
