package io.execra.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecraRuntimeSettingsMapper}: the core checks each value, and its error, which names the core
 * setting, is reported under the property the value was bound from.
 */
class ExecraRuntimeSettingsMapperTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ExecraAutoConfiguration.class));

	@ParameterizedTest
	@CsvSource({ "maxConcurrent, max-concurrent", "storeWriteTimeout, store.write-timeout",
			"storeBufferCapacity, store.buffer-capacity", "replayMaxEvents, replay.max-events",
			"replayMaxBytes, replay.max-size", "retainedOutputMaxBytes, retained-output.max-size",
			"retainedOutputMaxLines, retained-output.max-lines", "rawOutputDirectory, raw-output.directory",
			"rawOutputPolicy, raw-output.policy", "outputLimitMaxBytes, output-limit.max-size",
			"outputLimitStrategy, output-limit.strategy", "outputTailBytes, output-tail-size",
			"subscriberBufferSize, subscriber-buffer-size", "subscriberBufferMaxBytes, subscriber-buffer-max-size",
			"stdinBufferBytes, stdin.buffer-size", "stdinWriteTimeout, stdin.write-timeout",
			"heartbeatInterval, heartbeat-interval", "nodeId, node-id" })
	void aCoreSettingIsFoundUnderItsProperty(String setting, String property) {
		assertThat(ExecraRuntimeSettingsMapper.propertyOf(setting)).isEqualTo(property);
	}

	@Test
	void aSettingNoPropertyBindsHasNoProperty() {
		assertThat(ExecraRuntimeSettingsMapper.propertyOf("clock")).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "max-concurrent=0", "queue-capacity=-1", "default-timeout=0s", "max-timeout=-1s",
			"cancel-grace-period=-1s", "drain-grace-period=2d", "partial-line-timeout=-1ms", "max-line-length=15",
			"replay.max-events=0", "replay.max-size=0B", "retained-output.max-size=-1B",
			"retained-output.max-lines=-1", "output-limit.max-size=-1B", "output-tail-size=-1B",
			"max-in-memory-jobs=0", "subscriber-buffer-size=0", "subscriber-buffer-max-size=0B",
			"stdin.buffer-size=0B", "stdin.write-timeout=0s", "store.buffer-capacity=0", "store.write-timeout=0s",
			"heartbeat-interval=0s", "stale-node-timeout=2d" })
	void anInvalidValueFailsStartupNamingItsProperty(String assignment) {
		String property = assignment.substring(0, assignment.indexOf('='));
		assertThat(failure("execra." + assignment).getProperty()).isEqualTo("execra." + property);
		assertThat(failure("execra.runtimes.media." + assignment).getProperty())
			.isEqualTo("execra.runtimes.media." + property);
	}

	@Test
	void theFailureGivesTheBoundValueAndTheCoreReason() {
		InvalidExecraPropertyException failure = failure("execra.replay.max-size=0KB");
		assertThat(failure.getValue()).isEqualTo("0B");
		assertThat(failure.getReason()).isEqualTo("must be positive");
	}

	@Test
	void aSpillingOutputLimitWithoutDirectoryNamesBothProperties() {
		InvalidExecraPropertyException failure = failure("execra.output-limit.max-size=1MB",
				"execra.output-limit.strategy=spill-to-file");
		assertThat(failure.getProperty()).isEqualTo("execra.raw-output.directory");
		assertThat(failure.getReason())
			.isEqualTo("is required when 'execra.output-limit.strategy' is SPILL_TO_FILE");
	}

	@Test
	void anOutputTailTooLargeForTheCoreNamesItsProperty() {
		assertThat(failure("execra.output-tail-size=3GB").getReason()).isEqualTo("must be less than 2GB");
	}

	private InvalidExecraPropertyException failure(String... properties) {
		InvalidExecraPropertyException[] failure = new InvalidExecraPropertyException[1];
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			Throwable cause = context.getStartupFailure();
			while (cause != null && !(cause instanceof InvalidExecraPropertyException)) {
				cause = cause.getCause();
			}
			assertThat(cause).as("cause of %s", context.getStartupFailure())
				.isInstanceOf(InvalidExecraPropertyException.class);
			failure[0] = (InvalidExecraPropertyException) cause;
		});
		return failure[0];
	}

}
