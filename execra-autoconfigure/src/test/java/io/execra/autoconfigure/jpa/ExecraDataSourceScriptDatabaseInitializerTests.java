package io.execra.autoconfigure.jpa;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

import io.execra.store.InMemoryJobStore;
import io.execra.store.JobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the shipped schema scripts and {@link ExecraDataSourceScriptDatabaseInitializer}.
 */
class ExecraDataSourceScriptDatabaseInitializerTests {

	@ParameterizedTest
	@EnumSource(value = DatabaseDriver.class, names = { "H2", "POSTGRESQL", "MARIADB", "MYSQL" })
	void aSchemaScriptResolvesForEachSupportedDatabase(DatabaseDriver driver) {
		List<String> locations = new PlatformPlaceholderDatabaseDriverResolver().resolveAll(driver.getId(),
				new ExecraJdbcProperties().getSchema());
		assertThat(locations).singleElement().satisfies((location) -> {
			Resource script = new DefaultResourceLoader().getResource(location);
			assertThat(script.exists()).as(location).isTrue();
		});
	}

	@Test
	void exactlyTheSchemaScriptsOfTheSupportedDatabasesAreShipped() throws IOException {
		Resource[] resources = new PathMatchingResourcePatternResolver()
			.getResources("classpath*:io/execra/autoconfigure/jpa/*.sql");
		assertThat(Arrays.stream(resources).map(Resource::getFilename)).containsExactlyInAnyOrder("schema-h2.sql",
				"schema-postgresql.sql", "schema-mariadb.sql", "schema-mysql.sql");
	}

	static List<String> databases() {
		return List.of("h2", "postgresql", "mariadb");
	}

	@ParameterizedTest
	@MethodSource("databases")
	void hibernateValidatesTheShippedSchema(String name) {
		TestDatabase database = TestDatabase.named(name);
		String prefix = TestDatabase.uniqueTablePrefix();
		try (ConfigurableApplicationContext context = database.start(prefix)) {
			assertThat(context.getBean(JobStore.class)).isInstanceOf(JpaJobStore.class);
			assertThat(tables(context.getBean(DataSource.class), prefix)).containsExactlyInAnyOrder("JOB", "JOB_TAG",
					"EVENT", "FINDING", "NODE", "CLUSTER_NODE", "CLUSTER_JOB", "CLUSTER_GROUP");
			TestDatabase.dropTables(context.getBean(DataSource.class), prefix);
		}
	}

	@Test
	void theScriptHonoursTheTablePrefixForTablesAndIndexes() {
		TestDatabase database = TestDatabase.h2();
		try (ConfigurableApplicationContext context = database.start("MY_HISTORY_")) {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			assertThat(jdbc.queryForList("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES", String.class))
				.contains("MY_HISTORY_JOB_CREATED_IDX", "MY_HISTORY_FINDING_SEVERITY_FOUND_IDX")
				.noneMatch((index) -> index.startsWith("EXECRA_"));
			assertThat(tables(context.getBean(DataSource.class), "EXECRA_")).isEmpty();
		}
	}

	@Test
	void embeddedDatabasesAreInitializedByDefault() {
		TestDatabase database = TestDatabase.h2();
		try (ConfigurableApplicationContext context = database.start("EXECRA_",
				"execra.jdbc.initialize-schema=embedded")) {
			assertThat(tables(context.getBean(DataSource.class), "EXECRA_")).hasSize(8);
		}
	}

	@Test
	void neverLeavesTheDatabaseWithoutTables() {
		TestDatabase database = TestDatabase.h2();
		try (ConfigurableApplicationContext context = database.start("EXECRA_", "execra.jdbc.initialize-schema=never",
				"spring.jpa.hibernate.ddl-auto=none", "spring.main.sources=" + UserStore.class.getName())) {
			assertThat(context.getBean(JobStore.class)).isInstanceOf(InMemoryJobStore.class);
			assertThat(tables(context.getBean(DataSource.class), "EXECRA_")).isEmpty();
		}
	}

	@Test
	void missingTablesFailStartUpWithAnAnalysisNamingThePropertyAndTheScript() {
		TestDatabase database = TestDatabase.h2();
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> database.start("EXECRA_", "execra.jdbc.initialize-schema=never",
					"spring.jpa.hibernate.ddl-auto=none"))
			.satisfies((failure) -> {
				assertThat(causes(failure)).hasAtLeastOneElementOfType(ExecraSchemaMissingException.class);
				assertAnalysisNamesPropertyAndScript(failure);
			});
	}

	@Test
	void hibernateValidationOfMissingTablesGetsTheSameAnalysis() {
		TestDatabase database = TestDatabase.h2();
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> database.start("EXECRA_", "execra.jdbc.initialize-schema=never"))
			.satisfies(this::assertAnalysisNamesPropertyAndScript);
	}

	@Test
	void nonEmbeddedDatabasesAreNotInitializedByDefault() {
		TestDatabase database = TestDatabase.postgresql();
		String prefix = TestDatabase.uniqueTablePrefix();
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> database.start(prefix, "execra.jdbc.initialize-schema=embedded",
					"spring.jpa.hibernate.ddl-auto=none"))
			.satisfies((failure) -> assertThat(causes(failure)).hasAtLeastOneElementOfType(ExecraSchemaMissingException.class));
		DriverManagerDataSource dataSource = new DriverManagerDataSource(database.url(), database.username(),
				database.password());
		assertThat(tables(dataSource, prefix)).isEmpty();
	}

	@Test
	void theFailureAnalyzerIsRegisteredForSpringBoot() throws Exception {
		java.util.Properties factories = new java.util.Properties();
		try (java.io.InputStream in = ExecraSchemaFailureAnalyzer.class.getResourceAsStream("/META-INF/spring.factories")) {
			factories.load(in);
		}
		assertThat(factories.getProperty(FailureAnalyzer.class.getName()).split(","))
			.contains(ExecraSchemaFailureAnalyzer.class.getName());
		java.lang.reflect.Constructor<ExecraSchemaFailureAnalyzer> constructor = ExecraSchemaFailureAnalyzer.class
			.getDeclaredConstructor(Environment.class);
		assertThat(BeanUtils.instantiateClass(constructor, new MockEnvironment())).isNotNull();
	}

	private void assertAnalysisNamesPropertyAndScript(Throwable failure) {
		FailureAnalysis analysis = new ExecraSchemaFailureAnalyzer(new MockEnvironment()).analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("EXECRA_JOB");
		assertThat(analysis.getAction()).contains("execra.jdbc.initialize-schema=always")
			.contains("classpath:io/execra/autoconfigure/jpa/schema-");
	}

	private static List<Throwable> causes(Throwable failure) {
		List<Throwable> causes = new java.util.ArrayList<>();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			causes.add(cause);
		}
		return causes;
	}

	private static List<String> tables(DataSource dataSource, String prefix) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		return jdbc.execute((java.sql.Connection connection) -> {
			List<String> names = new java.util.ArrayList<>();
			try (java.sql.ResultSet rs = connection.getMetaData().getTables(connection.getCatalog(), null, "%",
					new String[] { "TABLE" })) {
				while (rs.next()) {
					String name = rs.getString("TABLE_NAME");
					if (name.toUpperCase(java.util.Locale.ROOT).startsWith(prefix.toUpperCase(java.util.Locale.ROOT))) {
						names.add(name.substring(prefix.length()).toUpperCase(java.util.Locale.ROOT));
					}
				}
			}
			return names;
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserStore {

		@Bean
		JobStore userJobStore() {
			return new InMemoryJobStore();
		}

	}

}
