package io.execra.autoconfigure.jpa;

import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.init.DatabaseInitializationProperties;

/**
 * Configuration properties of execra's job history tables.
 */
@ConfigurationProperties("execra.jdbc")
public class ExecraJdbcProperties extends DatabaseInitializationProperties {

	/** The table prefix the shipped schema scripts and the entities are written with. */
	public static final String DEFAULT_TABLE_PREFIX = "EXECRA_";

	private static final String DEFAULT_SCHEMA_LOCATION = "classpath:io/execra/autoconfigure/jpa/schema-@@platform@@.sql";

	private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	/**
	 * Prefix of the names of execra's tables and indexes. Letters, digits and underscores only.
	 */
	private String tablePrefix = DEFAULT_TABLE_PREFIX;

	/**
	 * Number of statements sent to the database in one JDBC batch when writing job history.
	 */
	private int batchSize = JpaJobStore.DEFAULT_BATCH_SIZE;

	@Override
	public String getDefaultSchemaLocation() {
		return DEFAULT_SCHEMA_LOCATION;
	}

	/**
	 * The table prefix.
	 * @return the prefix
	 */
	public String getTablePrefix() {
		return this.tablePrefix;
	}

	/**
	 * Sets the table prefix.
	 * @param tablePrefix the prefix, letters, digits and underscores only
	 * @throws IllegalArgumentException if the prefix is not an SQL identifier
	 */
	public void setTablePrefix(String tablePrefix) {
		if (!IDENTIFIER.matcher(tablePrefix).matches()) {
			throw new IllegalArgumentException(
					"'execra.jdbc.table-prefix' must be letters, digits and underscores but was '" + tablePrefix + "'");
		}
		this.tablePrefix = tablePrefix;
	}

	/**
	 * The JDBC batch size.
	 * @return the number of statements per batch
	 */
	public int getBatchSize() {
		return this.batchSize;
	}

	/**
	 * Sets the JDBC batch size.
	 * @param batchSize the number of statements per batch, at least 1
	 */
	public void setBatchSize(int batchSize) {
		if (batchSize < 1) {
			throw new IllegalArgumentException("'execra.jdbc.batch-size' must be positive but was " + batchSize);
		}
		this.batchSize = batchSize;
	}

}
