package io.execra.autoconfigure.jpa;

import java.time.Instant;

/**
 * Writes an {@link Instant} as {@link Instant#toString()} does ({@code DateTimeFormatter.ISO_INSTANT}: seconds always
 * written, the fraction in groups of three digits, none when zero), without the formatter, which is slow for
 * what it does: every stored event carries its time as this text. Instants before 1970
 * or after 9999 are left to {@link Instant#toString()}. Thread-safe.
 */
final class InstantText {

	/** The longest text written here: {@code 9999-12-31T23:59:59.999999999Z}. */
	static final int MAX_LENGTH = 30;

	/** The last second written here, 9999-12-31T23:59:59Z. */
	private static final long LAST_SECOND = 253_402_300_799L;

	private static final long SECONDS_PER_DAY = 86_400;

	private InstantText() {
	}

	/**
	 * The text of an instant, as {@link Instant#toString()}.
	 * @param instant the instant
	 * @return its ISO-8601 text
	 */
	static String of(Instant instant) {
		char[] text = new char[MAX_LENGTH];
		int length = write(instant, text);
		return (length > 0) ? new String(text, 0, length) : instant.toString();
	}

	/**
	 * Writes the text of an instant from 1970 to 9999, as {@link Instant#toString()} would.
	 * @param instant the instant
	 * @param text at least {@link #MAX_LENGTH} chars
	 * @return the chars written, or 0 if the instant is outside those years (nothing written)
	 */
	static int write(Instant instant, char[] text) {
		long seconds = instant.getEpochSecond();
		if (seconds < 0 || seconds > LAST_SECOND) {
			return 0;
		}
		long days = seconds / SECONDS_PER_DAY;
		int secondOfDay = (int) (seconds - days * SECONDS_PER_DAY);
		// days to civil date (H. Hinnant's algorithm), for days >= 0 so no negative eras
		long shifted = days + 719_468;
		long era = shifted / 146_097;
		long dayOfEra = shifted - era * 146_097;
		long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
		long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
		long monthIndex = (5 * dayOfYear + 2) / 153;
		int day = (int) (dayOfYear - (153 * monthIndex + 2) / 5 + 1);
		int month = (int) ((monthIndex < 10) ? monthIndex + 3 : monthIndex - 9);
		int year = (int) (yearOfEra + era * 400 + ((month <= 2) ? 1 : 0));
		digits(text, 0, year / 100);
		digits(text, 2, year % 100);
		text[4] = '-';
		digits(text, 5, month);
		text[7] = '-';
		digits(text, 8, day);
		text[10] = 'T';
		digits(text, 11, secondOfDay / 3600);
		text[13] = ':';
		digits(text, 14, secondOfDay / 60 % 60);
		text[16] = ':';
		digits(text, 17, secondOfDay % 60);
		int length = 19;
		int nanos = instant.getNano();
		if (nanos > 0) {
			text[length++] = '.';
			int groups;
			int value;
			if (nanos % 1_000_000 == 0) {
				groups = 1;
				value = nanos / 1_000_000;
			}
			else if (nanos % 1000 == 0) {
				groups = 2;
				value = nanos / 1000;
			}
			else {
				groups = 3;
				value = nanos;
			}
			for (int i = groups * 3 - 1; i >= 0; i--) {
				text[length + i] = (char) ('0' + value % 10);
				value /= 10;
			}
			length += groups * 3;
		}
		text[length++] = 'Z';
		return length;
	}

	private static void digits(char[] text, int at, int twoDigits) {
		text[at] = (char) ('0' + twoDigits / 10);
		text[at + 1] = (char) ('0' + twoDigits % 10);
	}

}
