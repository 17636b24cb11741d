package io.execra.internal.log;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A line reference's fields: each read back as packed, none spilling into another, the retained mark apart.
 */
class LineRefTests {

	private static final int MAX = Integer.MAX_VALUE;

	@Test
	void readsBackTheStartTheLengthAndWhetherTheLineIsAscii() {
		long ref = LineRef.of(17, 4096, true);
		assertThat(LineRef.start(ref)).isEqualTo(17);
		assertThat(LineRef.length(ref)).isEqualTo(4096);
		assertThat(LineRef.isAscii(ref)).isTrue();
		assertThat(LineRef.isRetained(ref)).isFalse();

		long other = LineRef.of(4096, 17, false);
		assertThat(LineRef.start(other)).isEqualTo(4096);
		assertThat(LineRef.length(other)).isEqualTo(17);
		assertThat(LineRef.isAscii(other)).isFalse();
	}

	@Test
	void theWidestFieldsStayApart() {
		long full = LineRef.of(MAX, MAX, true);
		assertThat(LineRef.start(full)).isEqualTo(MAX);
		assertThat(LineRef.length(full)).isEqualTo(MAX);
		assertThat(LineRef.isAscii(full)).isTrue();
		assertThat(LineRef.isRetained(full)).isFalse();

		long noStart = LineRef.of(0, MAX, false);
		assertThat(LineRef.start(noStart)).isZero();
		assertThat(LineRef.isAscii(noStart)).isFalse();
		long noLength = LineRef.of(MAX, 0, false);
		assertThat(LineRef.length(noLength)).isZero();
		assertThat(LineRef.isAscii(noLength)).isFalse();
	}

	@Test
	void theRetainedMarkLeavesTheOtherFieldsAsTheyWere() {
		for (boolean ascii : new boolean[] { true, false }) {
			long ref = LineRef.of(MAX, MAX, ascii);
			long retained = LineRef.retained(ref);
			assertThat(LineRef.isRetained(retained)).isTrue();
			assertThat(LineRef.start(retained)).isEqualTo(MAX);
			assertThat(LineRef.length(retained)).isEqualTo(MAX);
			assertThat(LineRef.isAscii(retained)).isEqualTo(ascii);
			assertThat(LineRef.retained(retained)).isEqualTo(retained);
		}
		assertThat(LineRef.isRetained(LineRef.retained(LineRef.of(0, 0, false)))).isTrue();
	}

	@Test
	void sumsTheLengthsOfTheFirstReferences() {
		long[] refs = { LineRef.of(0, 3, true), LineRef.retained(LineRef.of(4, MAX, false)), LineRef.of(9, 100, true) };
		assertThat(LineRef.length(refs, 0)).isZero();
		assertThat(LineRef.length(refs, 1)).isEqualTo(3);
		assertThat(LineRef.length(refs, 2)).isEqualTo(3L + MAX);
		assertThat(LineRef.length(refs, 3)).isEqualTo(103L + MAX);
	}

}
