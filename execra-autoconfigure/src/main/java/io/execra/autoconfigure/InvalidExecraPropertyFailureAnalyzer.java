package io.execra.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * Reports an {@link InvalidExecraPropertyException}: which property, its value, where it was set and why execra
 * cannot use it.
 */
class InvalidExecraPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidExecraPropertyException> {

	private final @Nullable Environment environment;

	InvalidExecraPropertyFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidExecraPropertyException cause) {
		StringBuilder description = new StringBuilder();
		description.append("Invalid execra configuration property '").append(cause.getProperty()).append("'");
		description.append(String.format("%n%n    Property: %s", cause.getProperty()));
		description.append(String.format("%n    Value: %s", (cause.getValue() != null) ? cause.getValue() : "(none)"));
		Origin origin = origin(cause.getProperty());
		if (origin != null) {
			description.append(String.format("%n    Origin: %s", origin));
		}
		description.append(String.format("%n    Reason: %s", cause.getReason()));
		return new FailureAnalysis(description.toString(),
				"Update your application's configuration: fix or remove '" + cause.getProperty() + "'.", cause);
	}

	private @Nullable Origin origin(String property) {
		if (this.environment == null || !ConfigurationPropertyName.isValid(property)) {
			return null;
		}
		ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			ConfigurationProperty candidate = source.getConfigurationProperty(name);
			if (candidate != null) {
				return candidate.getOrigin();
			}
		}
		return null;
	}

}
