package io.execra;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Argument checks with messages in the {@code 'name' must not be empty} style.
 */
final class Checks {

	private Checks() {
	}

	static String notEmpty(@Nullable String value, String name) {
		if (value == null || value.isEmpty()) {
			throw new IllegalArgumentException("'" + name + "' must not be empty");
		}
		return value;
	}

	static <T> T notNull(@Nullable T value, String name) {
		if (value == null) {
			throw new IllegalArgumentException("'" + name + "' must not be null");
		}
		return value;
	}

	static Duration positive(@Nullable Duration value, String name) {
		notNull(value, name);
		if (value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException("'" + name + "' must be positive but was " + value);
		}
		return value;
	}

	static long positive(long value, String name) {
		if (value <= 0) {
			throw new IllegalArgumentException("'" + name + "' must be positive but was " + value);
		}
		return value;
	}

	static String noNul(String value, String name) {
		if (value.indexOf('\0') >= 0) {
			throw new IllegalArgumentException("'" + name + "' must not contain a NUL character");
		}
		return value;
	}

}
