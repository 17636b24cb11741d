package io.execra;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The checks of {@link ExecraSettings} and its groups, each failing with an {@link InvalidSettingException} that
 * names the setting.
 */
final class SettingChecks {

	private SettingChecks() {
	}

	static <T> T notNull(@Nullable T value, String setting) {
		if (value == null) {
			throw new InvalidSettingException(setting, null, "must not be null");
		}
		return value;
	}

	static long atLeast(long value, long minimum, String setting) {
		if (value < minimum) {
			throw new InvalidSettingException(setting, value, "must be at least " + minimum);
		}
		return value;
	}

	static long notNegative(long value, String setting) {
		if (value < 0) {
			throw new InvalidSettingException(setting, value, "must not be negative");
		}
		return value;
	}

	static long positive(long value, String setting) {
		if (value <= 0) {
			throw new InvalidSettingException(setting, value, "must be positive");
		}
		return value;
	}

	static Duration positive(@Nullable Duration value, String setting) {
		notNull(value, setting);
		if (value.isZero() || value.isNegative()) {
			throw new InvalidSettingException(setting, value, "must be positive");
		}
		return value;
	}

	/** A grace period or wait: not negative and at most {@link ExecraSettings#MAX_PERIOD} (timeouts are unbounded). */
	static Duration period(@Nullable Duration value, String setting) {
		notNull(value, setting);
		if (value.isNegative()) {
			throw new InvalidSettingException(setting, value, "must not be negative");
		}
		return atMostOneDay(value, setting);
	}

	static Duration positivePeriod(@Nullable Duration value, String setting) {
		return atMostOneDay(positive(value, setting), setting);
	}

	private static Duration atMostOneDay(Duration value, String setting) {
		if (value.compareTo(ExecraSettings.MAX_PERIOD) > 0) {
			throw new InvalidSettingException(setting, value, "must be at most " + ExecraSettings.MAX_PERIOD);
		}
		return value;
	}

}
