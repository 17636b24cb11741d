package io.execra.autoconfigure.jpa;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

import io.execra.store.StoreException;

/**
 * What differs between the databases the {@link JdbcClusterStore} runs on: the database clock, row locks, and
 * whether it has push signals. All of them claim with {@code FOR UPDATE SKIP LOCKED} but H2, which is for one node
 * (tests) and takes plain {@code FOR UPDATE}.
 */
enum ClusterDialect {

	/** PostgreSQL 9.6+: one-statement claims, {@code LISTEN/NOTIFY}, {@code idle_in_transaction_session_timeout}. */
	POSTGRESQL("(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT",
			"(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT", " FOR SHARE", " FOR UPDATE SKIP LOCKED",
			"INSERT INTO %s (NAME) VALUES (?) ON CONFLICT DO NOTHING"),

	/** MariaDB 10.6+ and MySQL 8.0.1+: polling. */
	MARIADB("(TIMESTAMPDIFF(MICROSECOND, TIMESTAMP'1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)",
			"TIMESTAMPDIFF(MICROSECOND, TIMESTAMP'1970-01-01 00:00:00', UTC_TIMESTAMP(6))", " LOCK IN SHARE MODE",
			" FOR UPDATE SKIP LOCKED", "INSERT IGNORE INTO %s (NAME) VALUES (?)"),

	/** H2, for single-node tests: plain row locks, polling. */
	H2("DATEDIFF(MILLISECOND, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00', CURRENT_TIMESTAMP(6))",
			"DATEDIFF(MICROSECOND, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00', CURRENT_TIMESTAMP(6))",
			" FOR UPDATE", " FOR UPDATE", "MERGE INTO %s (NAME) KEY (NAME) VALUES (?)");

	/** The databases cluster mode runs on, for messages. */
	static final String SUPPORTED = "PostgreSQL 9.6 or later, MariaDB 10.6 or later or MySQL 8.0.1 or later (H2 for"
			+ " single-node tests)";

	private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

	private final String nowMillis;

	private final String nowMicros;

	private final String shareLock;

	private final String claimLock;

	private final String insertGroup;

	ClusterDialect(String nowMillis, String nowMicros, String shareLock, String claimLock, String insertGroup) {
		this.nowMillis = nowMillis;
		this.nowMicros = nowMicros;
		this.shareLock = shareLock;
		this.claimLock = claimLock;
		this.insertGroup = insertGroup;
	}

	/** @return the database clock in epoch milliseconds, as an SQL expression */
	String nowMillis() {
		return this.nowMillis;
	}

	/** @return the database clock in epoch microseconds, as an SQL expression */
	String nowMicros() {
		return this.nowMicros;
	}

	/** @return the clause that read-locks selected rows against updates (a node's row while it writes) */
	String shareLock() {
		return this.shareLock;
	}

	/** @return the clause that locks selected rows to claim them, skipping rows others locked where it can */
	String claimLock() {
		return this.claimLock;
	}

	/** @return whether a claim skips rows other claims locked, rather than waiting for them */
	boolean claimSkipsLocked() {
		return this.claimLock.endsWith("SKIP LOCKED");
	}

	/**
	 * @param table the group table
	 * @return an insert of a group's row that does nothing if it exists
	 */
	String insertGroup(String table) {
		return String.format(this.insertGroup, table);
	}

	/** @return whether the database pushes signals ({@code LISTEN/NOTIFY}) */
	boolean hasSignals() {
		return this == POSTGRESQL;
	}

	/**
	 * The dialect of a database, or a clear refusal.
	 * @param dataSource the database
	 * @return its dialect
	 * @throws ClusterDatabaseUnsupportedException if cluster mode cannot run on it
	 * @throws StoreException if it cannot be reached
	 */
	static ClusterDialect of(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			DatabaseMetaData metaData = connection.getMetaData();
			return of(metaData.getDatabaseProductName(), metaData.getDatabaseProductVersion());
		}
		catch (SQLException ex) {
			throw new StoreException("Could not read which database cluster mode runs on: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The dialect of a database, or a clear refusal.
	 * @param product the product name its driver reports
	 * @param version the product version its driver reports
	 * @return its dialect
	 * @throws ClusterDatabaseUnsupportedException if cluster mode cannot run on it
	 */
	static ClusterDialect of(String product, String version) {
		String name = product.toLowerCase(Locale.ROOT);
		String described = product + " " + version;
		if (name.contains("postgresql")) {
			return atLeast(version, 9, 6, 0, described, POSTGRESQL);
		}
		if (name.contains("mariadb") || version.toLowerCase(Locale.ROOT).contains("mariadb")) {
			// MySQL's driver reports MariaDB as "5.5.5-10.6.12-MariaDB": the real version follows the prefix
			return atLeast(version.replaceFirst("^5\\.5\\.5-", ""), 10, 6, 0, described, MARIADB);
		}
		if (name.contains("mysql")) {
			return atLeast(version, 8, 0, 1, described, MARIADB);
		}
		if (name.equals("h2")) {
			return H2;
		}
		throw new ClusterDatabaseUnsupportedException(described);
	}

	private static ClusterDialect atLeast(String version, int major, int minor, int patch, String described,
			ClusterDialect dialect) {
		Matcher matcher = VERSION.matcher(version);
		if (!matcher.find()) {
			throw new ClusterDatabaseUnsupportedException(described + " (unknown version)");
		}
		int[] found = { Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
				(matcher.group(3) != null) ? Integer.parseInt(matcher.group(3)) : 0 };
		int[] needed = { major, minor, patch };
		for (int i = 0; i < 3; i++) {
			if (found[i] != needed[i]) {
				if (found[i] < needed[i]) {
					throw new ClusterDatabaseUnsupportedException(described);
				}
				break;
			}
		}
		return dialect;
	}

}
