package io.execra.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.execra.ExecraRuntimeBuilder;
import io.execra.ExecraSettings;
import io.execra.OutputLimitStrategy;
import io.execra.RawOutputPolicy;
import io.execra.SecurityPolicy;
import io.execra.store.OutputLogFiles;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.unit.DataSize;

/**
 * Maps {@link ExecraRuntimeProperties} onto an {@link ExecraRuntimeBuilder}, checking each value first so that a bad
 * one fails with the name of its property rather than the core's field name.
 */
final class ExecraRuntimeSettingsMapper {

	private final String prefix;

	/**
	 * Creates a mapper for the properties bound at a prefix.
	 * @param prefix {@code execra} or {@code execra.runtimes.<name>}
	 */
	ExecraRuntimeSettingsMapper(String prefix) {
		this.prefix = prefix;
	}

	void map(ExecraRuntimeProperties properties, ExecraRuntimeBuilder builder) {
		PropertyMapper map = PropertyMapper.get();
		map.from(properties.getMaxConcurrent()).as((value) -> atLeast(value, 1, "max-concurrent"))
			.to(builder::maxConcurrent);
		map.from(atLeast(properties.getQueueCapacity(), 0, "queue-capacity")).to(builder::queueCapacity);
		map.from(properties.getDefaultTimeout()).as((value) -> positive(value, "default-timeout"))
			.to(builder::defaultTimeout);
		map.from(properties.getMaxTimeout()).as((value) -> positive(value, "max-timeout")).to(builder::maxTimeout);
		map.from(period(properties.getCancelGracePeriod(), "cancel-grace-period")).to(builder::cancelGracePeriod);
		map.from(period(properties.getDrainGracePeriod(), "drain-grace-period")).to(builder::drainGracePeriod);
		map.from(period(properties.getPartialLineTimeout(), "partial-line-timeout"))
			.to(builder::partialLineTimeout);
		builder.replayLimits(atLeast(properties.getReplay().getMaxEvents(), 1, "replay.max-events"),
				bytes(properties.getReplay().getMaxSize(), 1, "replay.max-size"));
		map.from(atLeast(properties.getMaxLineLength(), 16, "max-line-length")).to(builder::maxLineLength);
		builder.retainedOutput(bytes(properties.getRetainedOutput().getMaxSize(), 0, "retained-output.max-size"),
				atLeast(properties.getRetainedOutput().getMaxLines(), 0, "retained-output.max-lines"));
		map.from(intBytes(properties.getOutputTailSize(), "output-tail-size")).to(builder::outputTailBytes);
		map.from(atLeast(properties.getMaxInMemoryJobs(), 1, "max-in-memory-jobs")).to(builder::maxInMemoryJobs);
		map.from(atLeast(properties.getSubscriberBufferSize(), 1, "subscriber-buffer-size"))
			.to(builder::subscriberBufferSize);
		map.from(bytes(properties.getSubscriberBufferMaxSize(), 1, "subscriber-buffer-max-size"))
			.to(builder::subscriberBufferBytes);
		builder.stdinLimits(bytes(properties.getStdin().getBufferSize(), 1, "stdin.buffer-size"),
				positive(properties.getStdin().getWriteTimeout(), "stdin.write-timeout"));
		map.from(atLeast(properties.getStore().getBufferCapacity(), 1, "store.buffer-capacity"))
			.to(builder::storeBufferCapacity);
		map.from(positivePeriod(properties.getStore().getWriteTimeout(), "store.write-timeout"))
			.to(builder::storeWriteTimeout);
		builder.heartbeat(positivePeriod(properties.getHeartbeatInterval(), "heartbeat-interval"),
				positivePeriod(properties.getStaleNodeTimeout(), "stale-node-timeout"));
		mapOutput(properties, builder);
		builder.securityPolicy(securityPolicy(properties.getSecurity()));
	}

	private void mapOutput(ExecraRuntimeProperties properties, ExecraRuntimeBuilder builder) {
		ExecraRuntimeProperties.RawOutput rawOutput = properties.getRawOutput();
		ExecraRuntimeProperties.OutputLimit outputLimit = properties.getOutputLimit();
		long limit = (outputLimit.getMaxSize() != null) ? bytes(outputLimit.getMaxSize(), 0, "output-limit.max-size")
				: 0;
		OutputLimitStrategy strategy = OutputLimitStrategy.valueOf(outputLimit.getStrategy().name());
		Path directory = rawOutput.getDirectory();
		if (directory == null) {
			if (rawOutput.getPolicy() != ExecraRuntimeProperties.RawOutputPolicy.MEMORY) {
				throw invalid("raw-output.directory", null,
						"a directory is required when raw-output.policy is " + rawOutput.getPolicy());
			}
			if (strategy == OutputLimitStrategy.SPILL_TO_FILE && limit > 0) {
				throw invalid("raw-output.directory", null,
						"a directory is required when output-limit.strategy is SPILL_TO_FILE");
			}
		}
		else {
			writableDirectory(directory);
		}
		builder.rawOutput(RawOutputPolicy.valueOf(rawOutput.getPolicy().name()), directory);
		builder.outputLimit(limit, strategy);
	}

	/** The core's check, run here so that its error names the property rather than the core setting. */
	private void writableDirectory(Path directory) {
		String property = this.prefix + ".raw-output.directory";
		try {
			OutputLogFiles.checkDirectory(directory, property);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidExecraPropertyException(property, directory, ex.getMessage(), ex);
		}
	}

	/**
	 * Builds the security policy the properties describe.
	 * @param security the security properties
	 * @return the policy
	 */
	SecurityPolicy securityPolicy(ExecraSecurityProperties security) {
		List<Pattern> patterns = new ArrayList<>();
		List<String> sources = security.getRedactPatterns();
		for (int i = 0; i < sources.size(); i++) {
			patterns.add(ExecraRegexes.compile(sources.get(i), this.prefix + ".security.redact-patterns[" + i + "]"));
		}
		for (String program : security.getAllowedPrograms()) {
			if (program.isBlank()) {
				throw invalid("security.allowed-programs", security.getAllowedPrograms(),
						"program names must not be blank");
			}
		}
		return new SecurityPolicy(security.getAllowedPrograms(), security.isAllowShell(),
				SecurityPolicy.EnvInheritance.valueOf(security.getEnvInheritance().name()), security.getEnvAllowList(),
				patterns);
	}

	private int atLeast(int value, int minimum, String property) {
		if (value < minimum) {
			throw invalid(property, value, "must be at least " + minimum);
		}
		return value;
	}

	private Duration positive(Duration value, String property) {
		if (value.isNegative() || value.isZero()) {
			throw invalid(property, value, "must be positive");
		}
		return value;
	}

	private Duration notNegative(Duration value, String property) {
		if (value.isNegative()) {
			throw invalid(property, value, "must not be negative");
		}
		return value;
	}

	/** A grace period or wait: not negative and at most {@link ExecraSettings#MAX_PERIOD} (timeouts are unbounded). */
	private Duration period(Duration value, String property) {
		if (value.compareTo(ExecraSettings.MAX_PERIOD) > 0) {
			throw invalid(property, value, "must be at most " + ExecraSettings.MAX_PERIOD);
		}
		return notNegative(value, property);
	}

	private Duration positivePeriod(Duration value, String property) {
		return period(positive(value, property), property);
	}

	private long bytes(DataSize value, long minimum, String property) {
		if (value.toBytes() < minimum) {
			throw invalid(property, value, (minimum == 0) ? "must not be negative" : "must be at least " + minimum + "B");
		}
		return value.toBytes();
	}

	private int intBytes(DataSize value, String property) {
		long bytes = bytes(value, 0, property);
		if (bytes > Integer.MAX_VALUE) {
			throw invalid(property, value, "must be less than 2GB");
		}
		return (int) bytes;
	}

	private InvalidExecraPropertyException invalid(String property, @Nullable Object value, String reason) {
		return new InvalidExecraPropertyException(this.prefix + "." + property, value, reason);
	}

}
