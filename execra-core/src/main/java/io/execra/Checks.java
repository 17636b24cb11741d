package io.execra;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

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

	static List<String> args(Collection<String> args) {
		List<String> copy = List.copyOf(args);
		for (int i = 0; i < copy.size(); i++) {
			noNul(copy.get(i), "args[" + i + "]");
		}
		return copy;
	}

	static String envName(String name) {
		noNul(notEmpty(name, "env name"), "env name");
		if (name.indexOf('=') >= 0) {
			throw new IllegalArgumentException("'env name' must not contain '=' but was '" + name + "'");
		}
		return name;
	}

}
