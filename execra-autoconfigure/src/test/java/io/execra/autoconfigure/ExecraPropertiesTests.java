package io.execra.autoconfigure;

import java.util.Arrays;

import io.execra.ExecraRuntime;
import io.execra.ExecraSettings;
import io.execra.OutputLimitStrategy;
import io.execra.RawOutputPolicy;
import io.execra.SecurityPolicy;
import io.execra.interpret.FallbackDefinition;
import io.execra.interpret.PhaseRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecraProperties}: each default is the core's default.
 */
class ExecraPropertiesTests {

	private final ExecraProperties properties = new ExecraProperties();

	private final ExecraSettings core = ExecraRuntime.builder().settings();

	@Test
	void maxConcurrentDefaultIsLeftToCore() {
		assertThat(this.properties.getMaxConcurrent()).isNull();
		assertThat(this.core.maxConcurrent()).isEqualTo(ExecraSettings.defaultMaxConcurrent());
	}

	@Test
	void queueCapacityDefaultMatchesCoreDefault() {
		assertThat(this.properties.getQueueCapacity()).isEqualTo(ExecraSettings.DEFAULT_QUEUE_CAPACITY);
	}

	@Test
	void timeoutsDefaultToNoneLikeCore() {
		assertThat(this.properties.getDefaultTimeout()).isNull();
		assertThat(this.properties.getMaxTimeout()).isNull();
		assertThat(this.core.defaultTimeout()).isNull();
		assertThat(this.core.maxTimeout()).isNull();
	}

	@Test
	void gracePeriodDefaultsMatchCoreDefaults() {
		assertThat(this.properties.getCancelGracePeriod()).isEqualTo(ExecraSettings.DEFAULT_CANCEL_GRACE_PERIOD);
		assertThat(this.properties.getDrainGracePeriod()).isEqualTo(ExecraSettings.DEFAULT_DRAIN_GRACE_PERIOD);
		assertThat(this.properties.getPartialLineTimeout()).isEqualTo(ExecraSettings.DEFAULT_PARTIAL_LINE_TIMEOUT);
	}

	@Test
	void replayDefaultsMatchCoreDefaults() {
		assertThat(this.properties.getReplay().getMaxEvents()).isEqualTo(ExecraSettings.DEFAULT_REPLAY_MAX_EVENTS);
		assertThat(this.properties.getReplay().getMaxSize().toBytes()).isEqualTo(ExecraSettings.DEFAULT_REPLAY_MAX_BYTES);
	}

	@Test
	void maxLineLengthDefaultMatchesCoreDefault() {
		assertThat(this.properties.getMaxLineLength()).isEqualTo(ExecraSettings.DEFAULT_MAX_LINE_LENGTH);
	}

	@Test
	void retainedOutputDefaultsMatchCoreDefaults() {
		assertThat(this.properties.getRetainedOutput().getMaxSize().toBytes())
			.isEqualTo(ExecraSettings.DEFAULT_RETAINED_OUTPUT_BYTES);
		assertThat(this.properties.getRetainedOutput().getMaxLines())
			.isEqualTo(ExecraSettings.DEFAULT_RETAINED_OUTPUT_LINES);
	}

	@Test
	void outputLimitDefaultsMatchCoreDefaults() {
		assertThat(this.properties.getOutputLimit().getMaxSize()).isNull();
		assertThat(this.core.outputLimit().maxBytes()).isZero();
		assertThat(this.properties.getOutputLimit().getStrategy().name())
			.isEqualTo(this.core.outputLimit().strategy().name());
	}

	@Test
	void outputTailSizeDefaultMatchesCoreDefault() {
		assertThat(this.properties.getOutputTailSize().toBytes()).isEqualTo(ExecraSettings.DEFAULT_OUTPUT_TAIL_BYTES);
	}

	@Test
	void rawOutputDefaultsMatchCoreDefaults() {
		assertThat(this.properties.getRawOutput().getPolicy().name()).isEqualTo(this.core.rawOutput().policy().name());
		assertThat(this.properties.getRawOutput().getDirectory()).isNull();
		assertThat(this.core.rawOutput().directory()).isNull();
	}

	@Test
	void jobAndSubscriberBoundsMatchCoreDefaults() {
		assertThat(this.properties.getMaxInMemoryJobs()).isEqualTo(ExecraSettings.DEFAULT_MAX_IN_MEMORY_JOBS);
		assertThat(this.properties.getSubscriberBufferSize()).isEqualTo(ExecraSettings.DEFAULT_SUBSCRIBER_BUFFER_SIZE);
		assertThat(this.properties.getSubscriberBufferMaxSize().toBytes())
			.isEqualTo(ExecraSettings.DEFAULT_SUBSCRIBER_BUFFER_BYTES);
	}

	@Test
	void stdinDefaultsMatchCoreDefaults() {
		assertThat(this.properties.getStdin().getBufferSize().toBytes())
			.isEqualTo(ExecraSettings.DEFAULT_STDIN_BUFFER_BYTES);
		assertThat(this.properties.getStdin().getWriteTimeout()).isEqualTo(ExecraSettings.DEFAULT_STDIN_WRITE_TIMEOUT);
	}

	@Test
	void storeDefaultsMatchCoreDefaults() {
		assertThat(this.properties.getStore().getBufferCapacity()).isEqualTo(ExecraSettings.DEFAULT_STORE_BUFFER_CAPACITY);
		assertThat(this.properties.getStore().getWriteTimeout()).isEqualTo(ExecraSettings.DEFAULT_STORE_WRITE_TIMEOUT);
	}

	@Test
	void heartbeatDefaultsMatchCoreDefaults() {
		assertThat(this.properties.getHeartbeatInterval()).isEqualTo(ExecraSettings.DEFAULT_HEARTBEAT_INTERVAL);
		assertThat(this.properties.getStaleNodeTimeout()).isEqualTo(ExecraSettings.DEFAULT_STALE_NODE_TIMEOUT);
		assertThat(this.properties.getNodeId()).isNull();
	}

	@Test
	void securityDefaultsMatchPermissivePolicyExceptShell() {
		SecurityPolicy permissive = SecurityPolicy.permissive();
		ExecraSecurityProperties security = this.properties.getSecurity();
		assertThat(security.getAllowedPrograms()).isEqualTo(permissive.allowedPrograms());
		assertThat(security.getEnvInheritance().name()).isEqualTo(permissive.envInheritance().name());
		assertThat(security.getEnvAllowList()).isEqualTo(permissive.envAllowList());
		assertThat(security.getRedactPatterns()).isEmpty();
		assertThat(permissive.redactPatterns()).isEmpty();
		// documented exception: web applications take input from requests
		assertThat(security.isAllowShell()).isFalse();
		assertThat(permissive.allowShell()).isTrue();
	}

	@Test
	void outputLimitStrategyMirrorsCore() {
		assertThat(names(ExecraRuntimeProperties.OutputLimitStrategy.values()))
			.containsExactly(names(OutputLimitStrategy.values()));
	}

	@Test
	void rawOutputPolicyMirrorsCore() {
		assertThat(names(ExecraRuntimeProperties.RawOutputPolicy.values()))
			.containsExactly(names(RawOutputPolicy.values()));
	}

	@Test
	void envInheritanceMirrorsCore() {
		assertThat(names(ExecraSecurityProperties.EnvInheritance.values()))
			.containsExactly(names(SecurityPolicy.EnvInheritance.values()));
	}

	@Test
	void ruleTypeMirrorsCore() {
		assertThat(names(ExecraInterpreterProperties.RuleType.values()))
			.containsExactly(names(io.execra.interpret.RuleType.values()));
	}

	@Test
	void severityMirrorsCore() {
		assertThat(names(ExecraInterpreterProperties.Severity.values()))
			.containsExactly(names(io.execra.Severity.values()));
	}

	@Test
	void interpreterDefaultsMatchCoreDefaults() {
		ExecraInterpreterProperties interpreter = new ExecraInterpreterProperties();
		FallbackDefinition fallback = FallbackDefinition.DEFAULT;
		assertThat(interpreter.getFallback().isEnabled()).isFalse();
		assertThat(interpreter.getFallback().getCode()).isEqualTo(fallback.code());
		assertThat(interpreter.getFallback().isFailedLine()).isEqualTo(fallback.failedLine());
		assertThat(interpreter.getFallback().isLastStderrLine()).isEqualTo(fallback.lastStderrLine());
		ExecraInterpreterProperties.PhaseRange range = new ExecraInterpreterProperties.PhaseRange();
		assertThat(range.getStart()).isEqualTo(PhaseRange.FULL.start());
		assertThat(range.getEnd()).isEqualTo(PhaseRange.FULL.end());
	}

	@Test
	void eventsArePublishedWithOutputByDefault() {
		assertThat(this.properties.getEvents().isPublish()).isTrue();
		assertThat(this.properties.getEvents().isIncludeOutput()).isTrue();
	}

	private static String[] names(Enum<?>[] values) {
		return Arrays.stream(values).map(Enum::name).toArray(String[]::new);
	}

}
