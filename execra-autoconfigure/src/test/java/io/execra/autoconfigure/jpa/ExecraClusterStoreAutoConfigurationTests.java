package io.execra.autoconfigure.jpa;

import java.util.UUID;

import io.execra.cluster.ClusterStore;
import io.execra.store.InMemoryJobStore;
import io.execra.store.JobStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the {@link ClusterStore} bean of {@link ExecraJpaAutoConfiguration}.
 */
class ExecraClusterStoreAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
				DataJpaRepositoriesAutoConfiguration.class, ExecraJpaAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"spring.jpa.hibernate.ddl-auto=validate");

	@Test
	void noClusterStoreUnlessClusterModeIsEnabled() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(JpaJobStore.class)
			.doesNotHaveBean(ClusterStore.class));
		this.contextRunner.withPropertyValues("execra.cluster.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ClusterStore.class));
	}

	@Test
	void aClusterStoreOnTheJpaStoresDatabaseWhenEnabled() {
		this.contextRunner.withPropertyValues("execra.cluster.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(JdbcClusterStore.class);
			ClusterStore store = context.getBean(ClusterStore.class);
			assertThat(store.join("node-a", 2, java.time.Duration.ofMinutes(1)).lease().epoch()).isEqualTo(1);
			assertThat(store.nodes()).singleElement().satisfies((node) -> assertThat(node.alive()).isTrue());
			assertThat(store.signals()).as("H2 has no LISTEN/NOTIFY: nodes poll").isEmpty();
		});
	}

	@Test
	void noClusterStoreBesideAJobStoreOfTheApplication() {
		this.contextRunner.withPropertyValues("execra.cluster.enabled=true")
			.withUserConfiguration(UserStoreConfiguration.class)
			.run((context) -> assertThat(context).doesNotHaveBean(ClusterStore.class));
	}

	@Test
	void aClusterStoreOfTheApplicationWins() {
		this.contextRunner.withPropertyValues("execra.cluster.enabled=true")
			.withBean(ClusterStore.class, () -> new io.execra.cluster.InMemoryClusterStore(new InMemoryJobStore(),
					java.time.Clock.systemUTC()))
			.run((context) -> assertThat(context).hasSingleBean(ClusterStore.class)
				.doesNotHaveBean(JdbcClusterStore.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserStoreConfiguration {

		@Bean
		JobStore jobStore() {
			return new InMemoryJobStore();
		}

	}

}
