package io.execra.internal.job;

import java.util.List;

import io.execra.StdStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OutputMasker}: secrets are masked whole wherever a line is cut.
 */
class OutputMaskerTests {

	@Test
	void aSecretIsMaskedWholeWhereverTheLineIsCutInTwo() {
		String line = "key s3cr3tValue end";
		for (int cut = 1; cut < line.length(); cut++) {
			OutputMasker masker = new OutputMasker(List.of("s3cr3tValue"));
			String first = masker.mask(StdStream.STDOUT, line.substring(0, cut), true);
			String rest = masker.mask(StdStream.STDOUT, line.substring(cut), false);
			assertThat(first + rest).as("cut at %d", cut).isEqualTo("key ****** end");
		}
	}

	@Test
	void aSecretIsMaskedWholeWhenCutIntoManyParts() {
		OutputMasker masker = new OutputMasker(List.of("s3cr3tValue"));
		StringBuilder published = new StringBuilder();
		for (char c : "key s3cr3tValue".toCharArray()) {
			published.append(masker.mask(StdStream.STDOUT, String.valueOf(c), true));
		}
		published.append(masker.mask(StdStream.STDOUT, "", false));
		assertThat(published).hasToString("key ******");
	}

	@Test
	void aPartThatCannotStartASecretIsPublishedWhole() {
		OutputMasker masker = new OutputMasker(List.of("s3cr3tValue"));
		assertThat(masker.mask(StdStream.STDOUT, "Proceed? [y/N] ", true)).isEqualTo("Proceed? [y/N] ");
		assertThat(masker.holds(StdStream.STDOUT)).isFalse();
	}

	@Test
	void onlyTheEndThatMayStartASecretIsHeldBack() {
		OutputMasker masker = new OutputMasker(List.of("s3cr3tValue"));
		assertThat(masker.mask(StdStream.STDOUT, "token: s3c", true)).isEqualTo("token: ");
		assertThat(masker.holds(StdStream.STDOUT)).isTrue();
		assertThat(masker.mask(StdStream.STDOUT, "ret", false)).isEqualTo("s3cret");
		assertThat(masker.holds(StdStream.STDOUT)).isFalse();
	}

	@Test
	void aWholeSecretIsNotCutToHoldTheStartOfAnother() {
		OutputMasker masker = new OutputMasker(List.of("abcd", "cdEF"));
		assertThat(masker.mask(StdStream.STDOUT, "xabcd", true)).isEqualTo("x******");
		assertThat(masker.mask(StdStream.STDOUT, "EF", false)).isEqualTo("EF");
	}

	@Test
	void eachStreamHoldsItsOwnText() {
		OutputMasker masker = new OutputMasker(List.of("abc123"));
		assertThat(masker.mask(StdStream.STDOUT, "out abc", true)).isEqualTo("out ");
		assertThat(masker.mask(StdStream.STDERR, "123 err", false)).isEqualTo("123 err");
		assertThat(masker.mask(StdStream.STDOUT, "123", false)).isEqualTo("******");
	}

}
