package io.execra.autoconfigure.jpa;

import java.util.UUID;

import io.execra.store.InMemoryJobStore;
import io.execra.store.JobStore;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecraJpaAutoConfiguration}.
 */
class ExecraJpaAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
				DataJpaRepositoriesAutoConfiguration.class, ExecraJpaAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"spring.jpa.hibernate.ddl-auto=validate");

	/** Without Hibernate's auto-configuration, which needs the application's package to start. */
	private final ApplicationContextRunner dataSourceOnly = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, ExecraJpaAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

	@Test
	void providesAJpaJobStoreOnTheApplicationsDataSource() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(JpaJobStore.class).hasSingleBean(JobStore.class);
			assertThat(context).hasSingleBean(ExecraDataSourceScriptDatabaseInitializer.class);
			context.getBean(JobStore.class).ping();
		});
	}

	@Test
	void registersTheEntityPackageWithoutReplacingTheApplications() {
		this.contextRunner.run((context) -> assertThat(AutoConfigurationPackages.get(context.getBeanFactory()))
			.contains(JpaJobStore.class.getPackageName()));
	}

	@Test
	void backsOffWhenTheApplicationProvidesAJobStore() {
		this.contextRunner.withUserConfiguration(UserStoreConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(JobStore.class).doesNotHaveBean(JpaJobStore.class);
			assertThat(context.getBean(JobStore.class)).isInstanceOf(InMemoryJobStore.class);
		});
	}

	@Test
	void isOffWithoutADataSource() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ExecraJpaAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(JobStore.class));
	}

	@Test
	void isOffWithoutJpa() {
		this.dataSourceOnly.withClassLoader(new FilteredClassLoader(EntityManagerFactory.class))
			.run((context) -> assertThat(context).doesNotHaveBean(JobStore.class));
	}

	@Test
	void isOffWithoutJackson() {
		this.dataSourceOnly.withClassLoader(new FilteredClassLoader("tools.jackson.databind"))
			.run((context) -> assertThat(context).doesNotHaveBean(JobStore.class));
	}

	@Test
	void createsItsRepositoriesWhenTheApplicationsRepositoryConfigurationLeavesThemOut() {
		this.contextRunner.withPropertyValues("spring.data.jpa.repositories.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(JobRepository.class).hasSingleBean(JpaJobStore.class);
			context.getBean(JobStore.class).heartbeat("node", java.time.Instant.now());
		});
	}

	@Test
	void skipsTheSchemaScriptWhenInitializationIsNever() {
		this.contextRunner
			.withPropertyValues("execra.jdbc.initialize-schema=never", "spring.jpa.hibernate.ddl-auto=none")
			.withUserConfiguration(UserStoreConfiguration.class)
			.run((context) -> assertThat(context).doesNotHaveBean(ExecraDataSourceScriptDatabaseInitializer.class));
	}

	@Test
	void rejectsATablePrefixThatIsNotAnIdentifier() {
		this.contextRunner.withPropertyValues("execra.jdbc.table-prefix=x; drop table y")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("execra.jdbc.table-prefix"));
	}

	@Test
	void batchSizeDefaultIsTheStoresDefault() {
		assertThat(new ExecraJdbcProperties().getBatchSize()).isEqualTo(JpaJobStore.DEFAULT_BATCH_SIZE);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserStoreConfiguration {

		@Bean
		JobStore userJobStore() {
			return new InMemoryJobStore();
		}

	}

}
