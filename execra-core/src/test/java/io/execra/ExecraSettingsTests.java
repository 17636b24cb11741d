package io.execra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ExecraSettings} as {@link ExecraRuntimeBuilder} builds it: the groups hold the builder's values
 * and the defaults, and each bad value fails naming its setting as the builder does.
 */
class ExecraSettingsTests {

	@Test
	void defaultsAreTheConstantsInTheirGroups() {
		ExecraSettings settings = ExecraRuntime.builder().settings();
		assertThat(settings.replay()).isEqualTo(new ExecraSettings.Replay(ExecraSettings.DEFAULT_REPLAY_MAX_EVENTS,
				ExecraSettings.DEFAULT_REPLAY_MAX_BYTES));
		assertThat(settings.retainedOutput()).isEqualTo(new ExecraSettings.RetainedOutput(
				ExecraSettings.DEFAULT_RETAINED_OUTPUT_BYTES, ExecraSettings.DEFAULT_RETAINED_OUTPUT_LINES));
		assertThat(settings.rawOutput()).isEqualTo(new ExecraSettings.RawOutput(RawOutputPolicy.MEMORY, null));
		assertThat(settings.outputLimit()).isEqualTo(new ExecraSettings.OutputLimit(0, OutputLimitStrategy.TRUNCATE));
		assertThat(settings.stdin()).isEqualTo(new ExecraSettings.StdinLimits(ExecraSettings.DEFAULT_STDIN_BUFFER_BYTES,
				ExecraSettings.DEFAULT_STDIN_WRITE_TIMEOUT));
		assertThat(settings.storeWrites()).isEqualTo(new ExecraSettings.StoreWrites(
				ExecraSettings.DEFAULT_STORE_BUFFER_CAPACITY, ExecraSettings.DEFAULT_STORE_WRITE_TIMEOUT));
		assertThat(settings.subscriberBufferMaxBytes()).isEqualTo(ExecraSettings.DEFAULT_SUBSCRIBER_BUFFER_BYTES);
	}

	@Test
	void builderValuesLandInTheirGroups(@TempDir Path directory) {
		ExecraSettings settings = ExecraRuntime.builder()
			.replayLimits(10, 20)
			.retainedOutput(30, 40)
			.outputLog(directory, true)
			.outputLimit(50, OutputLimitStrategy.SPILL_TO_FILE)
			.stdinLimits(60, Duration.ofSeconds(7))
			.storeBufferCapacity(80)
			.storeWriteTimeout(Duration.ofSeconds(9))
			.subscriberBufferBytes(100)
			.settings();
		assertThat(settings.replay()).isEqualTo(new ExecraSettings.Replay(10, 20));
		assertThat(settings.retainedOutput()).isEqualTo(new ExecraSettings.RetainedOutput(30, 40));
		assertThat(settings.rawOutput()).isEqualTo(new ExecraSettings.RawOutput(RawOutputPolicy.FILE_GZIP, directory));
		assertThat(settings.outputLimit())
			.isEqualTo(new ExecraSettings.OutputLimit(50, OutputLimitStrategy.SPILL_TO_FILE));
		assertThat(settings.stdin()).isEqualTo(new ExecraSettings.StdinLimits(60, Duration.ofSeconds(7)));
		assertThat(settings.storeWrites()).isEqualTo(new ExecraSettings.StoreWrites(80, Duration.ofSeconds(9)));
		assertThat(settings.subscriberBufferMaxBytes()).isEqualTo(100);
	}

	static Stream<Arguments> invalidSettings() {
		return Stream.of(invalid("maxConcurrent", "must be at least 1", (b) -> b.maxConcurrent(0)),
				invalid("queueCapacity", "must be at least 0", (b) -> b.queueCapacity(-1)),
				invalid("defaultTimeout", "must be positive", (b) -> b.defaultTimeout(Duration.ZERO)),
				invalid("maxTimeout", "must be positive", (b) -> b.maxTimeout(Duration.ofSeconds(-1))),
				invalid("cancelGracePeriod", "must not be negative",
						(b) -> b.cancelGracePeriod(Duration.ofSeconds(-1))),
				invalid("drainGracePeriod", "must be at most PT24H", (b) -> b.drainGracePeriod(Duration.ofDays(2))),
				invalid("partialLineTimeout", "must not be negative",
						(b) -> b.partialLineTimeout(Duration.ofMillis(-1))),
				invalid("maxLineLength", "must be at least 16", (b) -> b.maxLineLength(15)),
				invalid("replayMaxEvents", "must be at least 1", (b) -> b.replayLimits(0, 1)),
				invalid("replayMaxBytes", "must be positive", (b) -> b.replayLimits(1, 0)),
				invalid("retainedOutputMaxBytes", "must not be negative", (b) -> b.retainedOutput(-1, 1)),
				invalid("retainedOutputMaxLines", "must be at least 0", (b) -> b.retainedOutput(1, -1)),
				invalid("rawOutputPolicy", "must not be null", (b) -> b.rawOutput(null, null)),
				invalid("rawOutputDirectory", "is required when 'rawOutputPolicy' is FILE",
						(b) -> b.rawOutput(RawOutputPolicy.FILE, null)),
				invalid("outputLimitMaxBytes", "must not be negative",
						(b) -> b.outputLimit(-1, OutputLimitStrategy.TRUNCATE)),
				invalid("outputLimitStrategy", "must not be null", (b) -> b.outputLimit(1, null)),
				invalid("rawOutputDirectory", "is required when 'outputLimitStrategy' is SPILL_TO_FILE",
						(b) -> b.outputLimit(1, OutputLimitStrategy.SPILL_TO_FILE)),
				invalid("outputTailBytes", "must be at least 0", (b) -> b.outputTailBytes(-1)),
				invalid("maxInMemoryJobs", "must be at least 1", (b) -> b.maxInMemoryJobs(0)),
				invalid("subscriberBufferSize", "must be at least 1", (b) -> b.subscriberBufferSize(0)),
				invalid("subscriberBufferMaxBytes", "must be positive", (b) -> b.subscriberBufferBytes(0)),
				invalid("stdinBufferBytes", "must be positive", (b) -> b.stdinLimits(0, Duration.ofSeconds(1))),
				invalid("stdinWriteTimeout", "must be positive", (b) -> b.stdinLimits(1, Duration.ZERO)),
				invalid("storeBufferCapacity", "must be at least 1", (b) -> b.storeBufferCapacity(0)),
				invalid("storeWriteTimeout", "must be positive", (b) -> b.storeWriteTimeout(Duration.ZERO)),
				invalid("heartbeatInterval", "must be positive",
						(b) -> b.heartbeat(Duration.ZERO, Duration.ofMinutes(1))),
				invalid("staleNodeTimeout", "must be at most PT24H",
						(b) -> b.heartbeat(Duration.ofSeconds(1), Duration.ofDays(2))),
				invalid("nodeId", "must not be empty", (b) -> b.nodeId("")),
				invalid("clock", "must not be null", (b) -> b.clock(null)),
				invalid("securityPolicy", "must not be null", (b) -> b.securityPolicy(null)));
	}

	private static Arguments invalid(String setting, String reason, UnaryOperator<ExecraRuntimeBuilder> change) {
		return Arguments.of(setting, reason, change);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidSettings")
	void anInvalidValueIsRejectedNamingItsSetting(String setting, String reason,
			UnaryOperator<ExecraRuntimeBuilder> change) {
		ExecraRuntimeBuilder builder = change.apply(ExecraRuntime.builder());
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(builder::settings)
			.withMessageStartingWith("'" + setting + "' " + reason)
			.satisfies((ex) -> {
				assertThat(ex.setting()).isEqualTo(setting);
				assertThat(ex.reason()).isEqualTo(reason);
			});
	}

	@Test
	void theMessageGivesTheValue() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> ExecraRuntime.builder().replayLimits(0, 1).settings())
			.withMessage("'replayMaxEvents' must be at least 1 but was 0")
			.satisfies((ex) -> assertThat(ex.value()).isEqualTo("0"));
	}

	@Test
	void aGroupChecksItselfWhenBuiltDirectly() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new ExecraSettings.StoreWrites(1, Duration.ofDays(2)))
			.satisfies((ex) -> assertThat(ex.setting()).isEqualTo("storeWriteTimeout"));
	}

	@Test
	void shutdownAllowanceCountsTheStoreWriteTimeoutTwice() {
		ExecraSettings settings = ExecraRuntime.builder()
			.cancelGracePeriod(Duration.ofSeconds(1))
			.drainGracePeriod(Duration.ofSeconds(2))
			.storeWriteTimeout(Duration.ofSeconds(3))
			.settings();
		assertThat(settings.shutdownAllowance()).isEqualTo(Duration.ofSeconds(1 + 2 + 3 * 2 + 1));
	}

}
