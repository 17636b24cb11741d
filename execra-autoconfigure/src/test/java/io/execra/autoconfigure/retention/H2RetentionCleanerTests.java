package io.execra.autoconfigure.retention;

import java.util.UUID;

import io.execra.autoconfigure.jpa.ExecraJpaAutoConfiguration;
import io.execra.store.JobStore;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Retention sweeps on the JPA store, on an embedded H2 database with the shipped schema.
 */
class H2RetentionCleanerTests extends AbstractRetentionCleanerTests {

	private ConfigurableApplicationContext context;

	@Override
	protected JobStore createStore() {
		this.context = startJpaStore("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
		return this.context.getBean(JobStore.class);
	}

	@Override
	protected void closeStore() {
		this.context.close();
	}

	static ConfigurableApplicationContext startJpaStore(String url, String username, String password,
			String... more) {
		return new SpringApplicationBuilder(JpaStoreApplication.class).web(WebApplicationType.NONE)
			.properties("spring.datasource.url=" + url, "spring.datasource.username=" + username,
					"spring.datasource.password=" + password, "spring.jpa.hibernate.ddl-auto=validate",
					"spring.jpa.open-in-view=false", "execra.jdbc.initialize-schema=always",
					"spring.main.banner-mode=off")
			.properties(more)
			.run();
	}

	/**
	 * The JPA store and nothing else of execra.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
			DataJpaRepositoriesAutoConfiguration.class, ExecraJpaAutoConfiguration.class })
	static class JpaStoreApplication {

	}

}
