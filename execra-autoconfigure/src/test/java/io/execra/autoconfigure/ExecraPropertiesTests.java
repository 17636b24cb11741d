package io.execra.autoconfigure;

import io.execra.ExecraRuntime;
import io.execra.ExecraRuntimeBuilder;
import io.execra.ExecraSettings;
import io.execra.SecurityPolicy;
import io.execra.interpret.FallbackDefinition;
import io.execra.interpret.PhaseRange;
import io.execra.store.InMemoryJobStore;
import io.execra.store.JobStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecraProperties}: each default is the core's default, so that a runtime configured by
 * properties it does not set is the plain core runtime.
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
	void everyRuntimeDefaultIsTheCoreDefault() {
		// the properties' own defaults, mapped as for a runtime: any that differs from the core's shows up here
		JobStore store = new InMemoryJobStore();
		ExecraRuntimeBuilder mapped = ExecraRuntime.builder();
		new ExecraRuntimeSettingsMapper("execra").map(this.properties, mapped);
		ExecraSettings fromProperties = mapped.store(store).nodeId("node").settings();
		ExecraSettings core = ExecraRuntime.builder().store(store).nodeId("node").settings();
		assertThat(fromProperties).usingRecursiveComparison().ignoringFields("securityPolicy").isEqualTo(core);
	}

	@Test
	void timeoutsDefaultToNoneLikeCore() {
		assertThat(this.properties.getDefaultTimeout()).isNull();
		assertThat(this.properties.getMaxTimeout()).isNull();
		assertThat(this.core.defaultTimeout()).isNull();
		assertThat(this.core.maxTimeout()).isNull();
	}

	@Test
	void outputLimitAndRawOutputDirectoryDefaultToNoneLikeCore() {
		assertThat(this.properties.getOutputLimit().getMaxSize()).isNull();
		assertThat(this.core.outputLimit().maxBytes()).isZero();
		assertThat(this.properties.getRawOutput().getDirectory()).isNull();
		assertThat(this.core.rawOutput().directory()).isNull();
	}

	@Test
	void nodeIdDefaultIsLeftToCore() {
		assertThat(this.properties.getNodeId()).isNull();
	}

	@Test
	void securityDefaultsMatchPermissivePolicyExceptShell() {
		SecurityPolicy permissive = SecurityPolicy.permissive();
		ExecraSecurityProperties security = this.properties.getSecurity();
		assertThat(security.getAllowedPrograms()).isEqualTo(permissive.allowedPrograms());
		assertThat(security.getEnvInheritance()).isEqualTo(permissive.envInheritance());
		assertThat(security.getEnvAllowList()).isEqualTo(permissive.envAllowList());
		assertThat(security.getRedactPatterns()).isEmpty();
		assertThat(permissive.redactPatterns()).isEmpty();
		// documented exception: web applications take input from requests
		assertThat(security.isAllowShell()).isFalse();
		assertThat(permissive.allowShell()).isTrue();
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

}
