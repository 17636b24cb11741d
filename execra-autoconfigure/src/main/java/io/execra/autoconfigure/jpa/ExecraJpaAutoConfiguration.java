package io.execra.autoconfigure.jpa;

import java.sql.SQLException;
import javax.sql.DataSource;

import io.execra.cluster.ClusterStore;
import io.execra.store.JobStore;
import io.execra.store.StoreException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.autoconfigure.init.OnDatabaseInitializationCondition;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.support.JpaRepositoryFactory;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of the JPA {@link JobStore}: job history in the application's database.
 * <p>
 * The entities of this package are registered with {@link AutoConfigurationPackage}, so Boot's own entity scanning
 * picks them up and the application's own entities and repositories keep working. An application that declares
 * {@code @EntityScan} replaces that scanning and must add {@code io.execra.autoconfigure.jpa} to it (e.g.
 * {@code @EntityScan(basePackageClasses = { MyEntity.class, JpaJobStore.class })}). The store's repositories are
 * {@code @NoRepositoryBean}s it creates itself, so no repository scanning, and no {@code @EnableJpaRepositories} of
 * the application, ever registers them twice.
 * <p>
 * The tables come from {@code schema-@@platform@@.sql} (H2, PostgreSQL, MariaDB, MySQL), run at start-up as
 * {@code execra.jdbc.initialize-schema} says (embedded databases only, by default), with the table prefix
 * {@code execra.jdbc.table-prefix}; Hibernate only has to validate them ({@code spring.jpa.hibernate.ddl-auto=validate}).
 * The same scripts can be copied into a Flyway or Liquibase migration. The prefix is applied to the entities by
 * wrapping the application's physical naming strategy, which needs Boot to build the {@code EntityManagerFactory}.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class },
		before = DataJpaRepositoriesAutoConfiguration.class, beforeName = "io.execra.autoconfigure.ExecraAutoConfiguration")
@ConditionalOnClass({ EntityManagerFactory.class, HibernatePropertiesCustomizer.class, JpaRepository.class,
		JsonMapper.class })
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(name = "execra.enabled", matchIfMissing = true)
@AutoConfigurationPackage(basePackageClasses = JpaJobStore.class)
@EnableConfigurationProperties(ExecraJdbcProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class ExecraJpaAutoConfiguration {

	private static final Log logger = LogFactory.getLog(ExecraJpaAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean(JobStore.class)
	JpaJobStore execraJobStore(EntityManagerFactory entityManagerFactory, ExecraJdbcProperties properties) {
		EntityManager entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
		JpaRepositoryFactory factory = new JpaRepositoryFactory(entityManager);
		JpaRepositories repositories = new JpaRepositories(factory.getRepository(JobRepository.class),
				factory.getRepository(EventRepository.class), factory.getRepository(FindingRepository.class),
				factory.getRepository(NodeRepository.class));
		JpaJobStore store = new JpaJobStore(entityManager, repositories,
				new JpaTransactionManager(entityManagerFactory), new ExecraJsonCodec(), properties.getBatchSize(),
				properties.getTablePrefix());
		checkTables(store, properties.getTablePrefix());
		return store;
	}

	/**
	 * The shared table of cluster mode ({@code execra.cluster.enabled=true}) on the JPA store's database, in the
	 * transactions of the same persistence unit. Refuses at start-up a database cluster mode cannot run on, and
	 * tables missing their cluster part.
	 */
	@Bean
	@ConditionalOnMissingBean(ClusterStore.class)
	@ConditionalOnBooleanProperty(name = "execra.cluster.enabled")
	@ConditionalOnBean(JpaJobStore.class)
	JdbcClusterStore execraClusterStore(JpaJobStore jobStore, DataSource dataSource,
			EntityManagerFactory entityManagerFactory, ExecraJdbcProperties properties, Environment environment) {
		ClusterDialect dialect = ClusterDialect.of(dataSource);
		JpaTransactionManager transactionManager = new JpaTransactionManager();
		transactionManager.setEntityManagerFactory(entityManagerFactory);
		transactionManager.setDataSource(dataSource);
		transactionManager.afterPropertiesSet();
		JdbcClusterStore store = new JdbcClusterStore(jobStore, dataSource, transactionManager, new ExecraJsonCodec(),
				properties.getTablePrefix(), dialect,
				environment.getProperty("execra.cluster.notify", Boolean.class, true));
		try {
			store.nodes();
		}
		catch (StoreException ex) {
			if (isMissingTable(ex)) {
				throw new ExecraSchemaMissingException(properties.getTablePrefix(), ex);
			}
			logger.warn("Could not check execra's cluster tables at start-up: " + ex.getMessage());
		}
		return store;
	}

	/** Fails start-up when the tables are missing; a database that is down only gets a warning (writes retry). */
	private static void checkTables(JpaJobStore store, String tablePrefix) {
		try {
			store.ping();
		}
		catch (StoreException ex) {
			if (isMissingTable(ex)) {
				throw new ExecraSchemaMissingException(tablePrefix, ex);
			}
			logger.warn("Could not check execra's tables at start-up: " + ex.getMessage());
		}
	}

	private static boolean isMissingTable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("42")) {
				return true;
			}
		}
		return false;
	}

	@Bean
	ExecraTableNamingHibernatePropertiesCustomizer execraTableNamingHibernatePropertiesCustomizer(
			ExecraJdbcProperties properties) {
		return new ExecraTableNamingHibernatePropertiesCustomizer(properties.getTablePrefix());
	}

	@Bean
	@ConditionalOnMissingBean(ExecraDataSourceScriptDatabaseInitializer.class)
	@Conditional(OnExecraDatabaseInitializationCondition.class)
	ExecraDataSourceScriptDatabaseInitializer execraDataSourceScriptDatabaseInitializer(DataSource dataSource,
			ExecraJdbcProperties properties) {
		return new ExecraDataSourceScriptDatabaseInitializer(dataSource, properties);
	}

	static class OnExecraDatabaseInitializationCondition extends OnDatabaseInitializationCondition {

		OnExecraDatabaseInitializationCondition() {
			super("Execra", "execra.jdbc.initialize-schema");
		}

	}

}
