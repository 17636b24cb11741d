package io.execra.autoconfigure;

import java.beans.PropertyDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.execra.ExecraRuntimeBuilder;
import io.execra.InvalidSettingException;
import io.execra.SecurityPolicy;
import io.execra.store.OutputLogFiles;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.unit.DataSize;

/**
 * Maps {@link ExecraRuntimeProperties} onto an {@link ExecraRuntimeBuilder}. The values are checked once, by the
 * core's settings; {@link #check} turns the {@link InvalidSettingException} naming a core setting into an
 * {@link InvalidExecraPropertyException} naming the property it was bound from.
 */
final class ExecraRuntimeSettingsMapper {

	private static final List<String> PROPERTIES = leafProperties(ExecraRuntimeProperties.class, "");

	private static final Pattern QUOTED_SETTING = Pattern.compile("'(\\w+)'");

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
		map.from(properties.getMaxConcurrent()).to(builder::maxConcurrent);
		map.from(properties.getQueueCapacity()).to(builder::queueCapacity);
		map.from(properties.getDefaultTimeout()).to(builder::defaultTimeout);
		map.from(properties.getMaxTimeout()).to(builder::maxTimeout);
		map.from(properties.getCancelGracePeriod()).to(builder::cancelGracePeriod);
		map.from(properties.getDrainGracePeriod()).to(builder::drainGracePeriod);
		map.from(properties.getPartialLineTimeout()).to(builder::partialLineTimeout);
		map.from(properties.getMaxLineLength()).to(builder::maxLineLength);
		map.from(properties.getPump()).to(builder::pump);
		builder.replayLimits(properties.getReplay().getMaxEvents(), properties.getReplay().getMaxSize().toBytes());
		builder.retainedOutput(properties.getRetainedOutput().getMaxSize().toBytes(),
				properties.getRetainedOutput().getMaxLines());
		map.from(intBytes(properties.getOutputTailSize(), "output-tail-size")).to(builder::outputTailBytes);
		map.from(properties.getMaxInMemoryJobs()).to(builder::maxInMemoryJobs);
		map.from(properties.getSubscriberBufferSize()).to(builder::subscriberBufferSize);
		map.from(properties.getSubscriberBufferMaxSize()).as(DataSize::toBytes).to(builder::subscriberBufferBytes);
		builder.stdinLimits(properties.getStdin().getBufferSize().toBytes(), properties.getStdin().getWriteTimeout());
		map.from(properties.getStore().getBufferCapacity()).to(builder::storeBufferCapacity);
		map.from(properties.getStore().getWriteTimeout()).to(builder::storeWriteTimeout);
		builder.heartbeat(properties.getHeartbeatInterval(), properties.getStaleNodeTimeout());
		ExecraRuntimeProperties.RawOutput rawOutput = properties.getRawOutput();
		if (rawOutput.getDirectory() != null) {
			writableDirectory(rawOutput.getDirectory());
		}
		builder.rawOutput(rawOutput.getPolicy(), rawOutput.getDirectory());
		DataSize limit = properties.getOutputLimit().getMaxSize();
		builder.outputLimit((limit != null) ? limit.toBytes() : 0, properties.getOutputLimit().getStrategy());
		builder.securityPolicy(securityPolicy(properties.getSecurity()));
	}

	/**
	 * Checks the settings a builder holds, so that a bad property fails when the builder is configured rather than
	 * when the application builds its runtime.
	 * @param properties the properties the builder was configured from
	 * @param builder the builder
	 * @throws InvalidExecraPropertyException naming the property of the first invalid setting
	 */
	void check(ExecraRuntimeProperties properties, ExecraRuntimeBuilder builder) {
		try {
			builder.settings();
		}
		catch (InvalidSettingException ex) {
			throw invalidProperty(properties, ex);
		}
	}

	/**
	 * The property a core setting is bound from, found by name: {@code storeWriteTimeout} is
	 * {@code store.write-timeout}, and a byte count ({@code replayMaxBytes}) is the size property of the same name
	 * ({@code replay.max-size}).
	 * @param setting the core setting's name
	 * @return the property's name under the prefix, or {@code null} if no property binds it
	 */
	static @Nullable String propertyOf(String setting) {
		String sized = setting.endsWith("Bytes") ? setting.substring(0, setting.length() - 5) + "Size" : setting;
		for (String property : PROPERTIES) {
			String flat = camelCase(property);
			if (flat.equals(setting) || flat.equals(sized)) {
				return property;
			}
		}
		return null;
	}

	private InvalidExecraPropertyException invalidProperty(ExecraRuntimeProperties properties,
			InvalidSettingException ex) {
		String property = propertyOf(ex.setting());
		if (property == null) {
			return new InvalidExecraPropertyException(this.prefix, null, ex.getMessage(), ex);
		}
		Object value = new BeanWrapperImpl(properties).getPropertyValue(propertyPath(property));
		return new InvalidExecraPropertyException(this.prefix + "." + property, value, namingProperties(ex.reason()),
				ex);
	}

	/** A reason with the core settings it names ({@code 'rawOutputPolicy'}) replaced by their properties. */
	private String namingProperties(String reason) {
		Matcher matcher = QUOTED_SETTING.matcher(reason);
		StringBuilder named = new StringBuilder();
		while (matcher.find()) {
			String property = propertyOf(matcher.group(1));
			String replacement = (property != null) ? "'" + this.prefix + "." + property + "'" : matcher.group();
			matcher.appendReplacement(named, Matcher.quoteReplacement(replacement));
		}
		return matcher.appendTail(named).toString();
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
		return new SecurityPolicy(security.getAllowedPrograms(), security.isAllowShell(), security.getEnvInheritance(),
				security.getEnvAllowList(), patterns);
	}

	/** A size the core holds as an int: narrowing it is translation, so its overflow is reported here. */
	private int intBytes(DataSize value, String property) {
		long bytes = value.toBytes();
		if (bytes > Integer.MAX_VALUE) {
			throw invalid(property, value, "must be less than 2GB");
		}
		return (int) bytes;
	}

	private InvalidExecraPropertyException invalid(String property, @Nullable Object value, String reason) {
		return new InvalidExecraPropertyException(this.prefix + "." + property, value, reason);
	}

	/** The names of a properties class's leaf properties, such as {@code replay.max-size}, descending into groups. */
	private static List<String> leafProperties(Class<?> type, String group) {
		List<String> names = new ArrayList<>();
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getReadMethod() == null || "class".equals(descriptor.getName())) {
				continue;
			}
			String name = group + kebabCase(descriptor.getName());
			Class<?> propertyType = descriptor.getPropertyType();
			if (isGroup(propertyType)) {
				names.addAll(leafProperties(propertyType, name + "."));
			}
			else {
				names.add(name);
			}
		}
		return names;
	}

	private static boolean isGroup(Class<?> type) {
		return !type.isEnum() && type.getPackageName().equals(ExecraRuntimeProperties.class.getPackageName());
	}

	private static String kebabCase(String camelCase) {
		return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	/** {@code store.write-timeout} as {@code storeWriteTimeout}. */
	private static String camelCase(String property) {
		StringBuilder camel = new StringBuilder();
		boolean upper = false;
		for (char c : property.toCharArray()) {
			if (c == '.' || c == '-') {
				upper = true;
			}
			else {
				camel.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return camel.toString();
	}

	/** {@code store.write-timeout} as the bean path {@code store.writeTimeout}. */
	private static String propertyPath(String property) {
		StringBuilder path = new StringBuilder();
		for (String part : property.split("\\.")) {
			String camel = camelCase(part);
			path.append((path.length() > 0) ? "." : "").append(camel);
		}
		return path.toString();
	}

}
