package io.execra.autoconfigure.jpa;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import static org.assertj.core.api.Assertions.fail;

/**
 * A database for the JPA store tests: embedded H2, or a real PostgreSQL or MariaDB. A real one comes from
 * {@code EXECRA_TEST_<DB>_URL} ({@code _USER}, {@code _PASSWORD}), else from Testcontainers where Docker runs, else
 * the test is skipped, or fails when {@code EXECRA_TEST_REQUIRE_DATABASES=true} (CI). Each use gets tables of its
 * own through a unique {@code execra.jdbc.table-prefix}, so runs never see each other's rows.
 *
 * @param name the platform, e.g. {@code postgresql}
 * @param url the JDBC URL
 * @param username the user
 * @param password the password
 */
public record TestDatabase(String name, String url, String username, String password) {

	private static final Map<String, JdbcDatabaseContainer<?>> containers = new ConcurrentHashMap<>();

	static final String[] TABLES = { "CLUSTER_JOB", "CLUSTER_GROUP", "CLUSTER_NODE", "FINDING", "EVENT", "JOB_TAG",
			"JOB", "NODE" };

	public static TestDatabase h2() {
		return new TestDatabase("h2", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
	}

	/**
	 * H2 in a file, for tests that restart a JVM on the same database. Commits are written at once
	 * ({@code WRITE_DELAY=0}; H2 otherwise loses the last half second of commits when its JVM is killed).
	 */
	static TestDatabase h2File(java.nio.file.Path file) {
		return new TestDatabase("h2", "jdbc:h2:file:" + file.toAbsolutePath() + ";WRITE_DELAY=0", "sa", "");
	}

	/**
	 * The database of a platform, for tests parameterized over the platforms.
	 * @param platform {@code h2}, {@code postgresql} or {@code mariadb}
	 * @return the database
	 */
	public static TestDatabase named(String platform) {
		return switch (platform) {
			case "h2" -> h2();
			case "postgresql" -> postgresql();
			case "mariadb" -> mariadb();
			default -> throw new IllegalArgumentException("Unknown platform '" + platform + "'");
		};
	}

	public static TestDatabase postgresql() {
		return real("postgresql", "EXECRA_TEST_POSTGRES", "postgres",
				() -> new PostgreSQLContainer("postgres:16-alpine"));
	}

	public static TestDatabase mariadb() {
		return real("mariadb", "EXECRA_TEST_MARIADB", "root", () -> new MariaDBContainer("mariadb:11"));
	}

	/** The real PostgreSQL if one is configured or can be started, else {@code null} (never skips). */
	static @Nullable TestDatabase postgresqlIfAvailable() {
		String url = System.getenv("EXECRA_TEST_POSTGRES_URL");
		return (url != null && !url.isBlank()) ? postgresql() : null;
	}

	private static TestDatabase real(String name, String env, String defaultUser,
			java.util.function.Supplier<JdbcDatabaseContainer<?>> container) {
		String url = System.getenv(env + "_URL");
		if (url != null && !url.isBlank()) {
			return new TestDatabase(name, url, envOr(env + "_USER", defaultUser), envOr(env + "_PASSWORD", ""));
		}
		if (DockerClientFactory.instance().isDockerAvailable()) {
			JdbcDatabaseContainer<?> running = containers.computeIfAbsent(name, (key) -> {
				JdbcDatabaseContainer<?> created = container.get();
				created.start();
				return created;
			});
			return new TestDatabase(name, running.getJdbcUrl(), running.getUsername(), running.getPassword());
		}
		String reason = "No " + name + " to test against: set " + env + "_URL (and _USER, _PASSWORD) or run Docker";
		if ("true".equalsIgnoreCase(System.getenv("EXECRA_TEST_REQUIRE_DATABASES"))) {
			fail(reason + " (EXECRA_TEST_REQUIRE_DATABASES=true turns this skip into a failure)");
		}
		Assumptions.abort(reason);
		throw new IllegalStateException("unreachable");
	}

	private static String envOr(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

	/**
	 * A table prefix no other run uses.
	 * @return e.g. {@code T3F2A91C0_}
	 */
	public static String uniqueTablePrefix() {
		return "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase(Locale.ROOT) + "_";
	}

	/**
	 * Starts an application context with the JPA store on this database, creating the tables and validating them
	 * with Hibernate.
	 * @param tablePrefix the table prefix
	 * @param properties more properties
	 * @return the context
	 */
	ConfigurableApplicationContext start(String tablePrefix, String... properties) {
		return new SpringApplicationBuilder(StoreApplication.class).web(WebApplicationType.NONE)
			.properties(properties(tablePrefix, properties))
			.run();
	}

	/**
	 * The properties of an application with the JPA store on this database, which creates the tables and has
	 * Hibernate validate them.
	 * @param tablePrefix the table prefix
	 * @param more more properties
	 * @return the properties, {@code name=value}
	 */
	String[] properties(String tablePrefix, String... more) {
		List<String> all = new ArrayList<>(List.of("spring.datasource.url=" + this.url,
				"spring.datasource.username=" + this.username, "spring.datasource.password=" + this.password,
				"spring.jpa.hibernate.ddl-auto=validate", "spring.jpa.open-in-view=false",
				"execra.jdbc.initialize-schema=always", "execra.jdbc.table-prefix=" + tablePrefix,
				"spring.main.banner-mode=off"));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	/**
	 * Deletes every row of the tables with this prefix.
	 * @param dataSource the database
	 * @param tablePrefix the prefix
	 */
	public static void deleteRows(DataSource dataSource, String tablePrefix) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		for (String table : TABLES) {
			jdbc.update("DELETE FROM " + tablePrefix + table);
		}
	}

	/**
	 * Drops the tables with this prefix.
	 * @param dataSource the database
	 * @param tablePrefix the prefix
	 */
	public static void dropTables(DataSource dataSource, String tablePrefix) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		for (String table : TABLES) {
			jdbc.execute("DROP TABLE IF EXISTS " + tablePrefix + table);
		}
	}

	/**
	 * The application of the store tests: the JPA auto-configurations and execra's, nothing else.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
			DataJpaRepositoriesAutoConfiguration.class, ExecraJpaAutoConfiguration.class })
	static class StoreApplication {

	}

}
