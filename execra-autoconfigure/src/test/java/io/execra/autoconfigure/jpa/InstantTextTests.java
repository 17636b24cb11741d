package io.execra.autoconfigure.jpa;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InstantText}: the text is always that of {@link Instant#toString()}.
 */
class InstantTextTests {

	@ParameterizedTest
	@ValueSource(strings = { "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000000001Z", "1999-12-31T23:59:59.999Z",
			"2000-02-29T12:00:00Z", "2024-02-29T23:59:59.5Z", "2026-01-02T03:04:05.123456789Z",
			"2026-01-02T03:04:05.120Z", "2026-01-02T03:04:05.000120Z", "2026-01-02T03:04:05.100000001Z",
			"2100-03-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z" })
	void writesWhatToStringWrites(String text) {
		Instant instant = Instant.parse(text);
		assertThat(InstantText.of(instant)).isEqualTo(instant.toString());
	}

	@Test
	void writesWhatToStringWritesAcrossTheYearsItCovers() {
		SplittableRandom random = new SplittableRandom(22);
		long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
		for (int i = 0; i < 200_000; i++) {
			long seconds = random.nextLong(last + 1);
			int nanos = switch (i % 4) {
				case 0 -> 0;
				case 1 -> random.nextInt(1000) * 1_000_000;
				case 2 -> random.nextInt(1_000_000) * 1000;
				default -> random.nextInt(1_000_000_000);
			};
			Instant instant = Instant.ofEpochSecond(seconds, nanos);
			assertThat(InstantText.of(instant)).isEqualTo(instant.toString());
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "1969-12-31T23:59:59.999Z", "0001-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
			"-1000000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59.999999999Z" })
	void leavesOtherYearsToToString(String text) {
		Instant instant = Instant.parse(text);
		assertThat(InstantText.write(instant, new char[InstantText.MAX_LENGTH])).isZero();
		assertThat(InstantText.of(instant)).isEqualTo(instant.toString());
	}

}
