package io.execra.autoconfigure.endpoint;

import io.execra.autoconfigure.ExecraAutoConfiguration;
import io.execra.autoconfigure.support.ExecraRuntimes;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link ExecraEndpoint}, when the endpoint is available: its access is not
 * {@code none} and it is exposed ({@code management.endpoints.web.exposure.include=execra}, or over JMX); over HTTP
 * with its {@link ExecraEndpointWebExtension}.
 */
@AutoConfiguration(after = ExecraAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(ExecraEndpoint.class)
@ConditionalOnBooleanProperty(name = "execra.enabled", matchIfMissing = true)
public final class ExecraEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ExecraEndpoint execraEndpoint(ListableBeanFactory beanFactory) {
		return new ExecraEndpoint(new ExecraRuntimes(beanFactory)::byName);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ExecraEndpoint.class)
	@ConditionalOnAvailableEndpoint(endpoint = ExecraEndpoint.class, exposure = EndpointExposure.WEB)
	ExecraEndpointWebExtension execraEndpointWebExtension(ExecraEndpoint execraEndpoint) {
		return new ExecraEndpointWebExtension(execraEndpoint);
	}

}
