package io.execra.clustertests.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import static org.assertj.core.api.Assertions.fail;

/**
 * A fresh PostgreSQL database for one test class, dropped when closed. It is created beside the database that
 * {@code EXECRA_TEST_POSTGRES_URL} names ({@code _USER}, {@code _PASSWORD}), with that database's name and a suffix
 * (e.g. {@code h_cluster_it_acceptance_3f2a}); else in a PostgreSQL container where Docker runs; else the test is
 * skipped, or fails when {@code EXECRA_TEST_REQUIRE_DATABASES=true} (CI), as the JPA store tests do.
 */
public final class ClusterDatabase implements AutoCloseable {

	private static final Pattern POSTGRES_URL = Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]+)(\\?.*)?");

	private static @Nullable PostgreSQLContainer container;

	private final String adminUrl;

	private final String name;

	private final String url;

	private final String username;

	private final String password;

	private final boolean local;

	private ClusterDatabase(String adminUrl, String name, String url, String username, String password,
			boolean local) {
		this.adminUrl = adminUrl;
		this.name = name;
		this.url = url;
		this.username = username;
		this.password = password;
		this.local = local;
	}

	/**
	 * Creates a database of its own for a test class.
	 * @param purpose a short lower-case word naming the test class, e.g. {@code acceptance}
	 * @return the new, empty database
	 */
	public static ClusterDatabase create(String purpose) {
		String configured = System.getenv("EXECRA_TEST_POSTGRES_URL");
		String adminUrl;
		String username;
		String password;
		boolean local;
		if (configured != null && !configured.isBlank()) {
			adminUrl = configured;
			username = envOr("EXECRA_TEST_POSTGRES_USER", "postgres");
			password = envOr("EXECRA_TEST_POSTGRES_PASSWORD", "");
			local = true;
		}
		else if (DockerClientFactory.instance().isDockerAvailable()) {
			PostgreSQLContainer running = startedContainer();
			adminUrl = running.getJdbcUrl();
			username = running.getUsername();
			password = running.getPassword();
			local = false;
		}
		else {
			String reason = "No PostgreSQL to run a cluster on: set EXECRA_TEST_POSTGRES_URL (and _USER, _PASSWORD)"
					+ " or run Docker";
			if ("true".equalsIgnoreCase(System.getenv("EXECRA_TEST_REQUIRE_DATABASES"))) {
				fail(reason + " (EXECRA_TEST_REQUIRE_DATABASES=true turns this skip into a failure)");
			}
			Assumptions.abort(reason);
			throw new IllegalStateException("unreachable");
		}
		Matcher parts = POSTGRES_URL.matcher(adminUrl);
		if (!parts.matches()) {
			throw new IllegalArgumentException("Not a PostgreSQL JDBC URL with a database name: " + adminUrl);
		}
		String name = (parts.group(2) + "_" + purpose + "_"
				+ UUID.randomUUID().toString().substring(0, 4)).toLowerCase(Locale.ROOT);
		String url = parts.group(1) + name + ((parts.group(3) != null) ? parts.group(3) : "");
		ClusterDatabase database = new ClusterDatabase(adminUrl, name, url, username, password, local);
		database.admin("CREATE DATABASE " + name);
		return database;
	}

	private static synchronized PostgreSQLContainer startedContainer() {
		if (container == null) {
			PostgreSQLContainer created = new PostgreSQLContainer("postgres:16-alpine");
			created.start();
			container = created;
		}
		return container;
	}

	/** @return the JDBC URL of this database */
	public String url() {
		return this.url;
	}

	/** @return the user */
	public String username() {
		return this.username;
	}

	/** @return the password */
	public String password() {
		return this.password;
	}

	/** @return whether this is the local PostgreSQL named by {@code EXECRA_TEST_POSTGRES_URL} (not a container) */
	public boolean isLocal() {
		return this.local;
	}

	/**
	 * Runs a query.
	 * @param sql the query, with {@code ?} parameters
	 * @param parameters their values; a collection is passed as a {@code text[]}, e.g. for {@code id::text = any(?)}
	 * @return each row as a map from lower-case column label to value
	 */
	public List<Map<String, @Nullable Object>> rows(String sql, Object... parameters) {
		try (Connection connection = DriverManager.getConnection(this.url, this.username, this.password);
				PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				if (parameters[i] instanceof Collection<?> values) {
					statement.setArray(i + 1, connection.createArrayOf("text", values.toArray()));
				}
				else {
					statement.setObject(i + 1, parameters[i]);
				}
			}
			List<Map<String, @Nullable Object>> rows = new ArrayList<>();
			try (ResultSet result = statement.executeQuery()) {
				ResultSetMetaData meta = result.getMetaData();
				while (result.next()) {
					Map<String, @Nullable Object> row = new LinkedHashMap<>();
					for (int column = 1; column <= meta.getColumnCount(); column++) {
						row.put(meta.getColumnLabel(column).toLowerCase(Locale.ROOT), result.getObject(column));
					}
					rows.add(row);
				}
			}
			return rows;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Query failed on " + this.url + ": " + sql, ex);
		}
	}

	/**
	 * Runs statements, e.g. DDL.
	 * @param sql the statements, one string each
	 */
	public void execute(String... sql) {
		try (Connection connection = DriverManager.getConnection(this.url, this.username, this.password);
				Statement statement = connection.createStatement()) {
			for (String each : sql) {
				statement.execute(each);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Statement failed on " + this.url + ": " + String.join("; ", sql), ex);
		}
	}

	/** Drops the database, disconnecting whoever is still connected. */
	@Override
	public void close() {
		admin("DROP DATABASE IF EXISTS " + this.name + " WITH (FORCE)");
	}

	private void admin(String sql) {
		try (Connection connection = DriverManager.getConnection(this.adminUrl, this.username, this.password);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run '" + sql + "' on " + this.adminUrl, ex);
		}
	}

	private static String envOr(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

	@Override
	public String toString() {
		return this.url;
	}

}
