package io.execra.autoconfigure.jpa;

import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/**
 * Explains a start-up failure caused by execra's tables missing from a database that execra does not initialize
 * (by default only embedded databases are): either the store's start-up check or Hibernate's
 * {@code ddl-auto=validate} found them missing. Names {@code execra.jdbc.initialize-schema} and the script to run.
 */
class ExecraSchemaFailureAnalyzer implements FailureAnalyzer {

	private static final String HIBERNATE_SCHEMA_EXCEPTION = "org.hibernate.tool.schema.spi.SchemaManagementException";

	private final String tablePrefix;

	ExecraSchemaFailureAnalyzer(Environment environment) {
		this.tablePrefix = environment.getProperty("execra.jdbc.table-prefix", ExecraJdbcProperties.DEFAULT_TABLE_PREFIX);
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ExecraSchemaMissingException || isMissingExecraTable(cause)) {
				return new FailureAnalysis(description(cause), action(), cause);
			}
		}
		return null;
	}

	private boolean isMissingExecraTable(Throwable cause) {
		String message = cause.getMessage();
		return HIBERNATE_SCHEMA_EXCEPTION.equals(cause.getClass().getName()) && message != null
				&& message.toUpperCase(Locale.ROOT).contains("MISSING TABLE [")
				&& message.toUpperCase(Locale.ROOT).contains(this.tablePrefix.toUpperCase(Locale.ROOT));
	}

	private String description(Throwable cause) {
		return "execra's job history tables (" + this.tablePrefix + "JOB, " + this.tablePrefix + "EVENT, "
				+ this.tablePrefix + "FINDING, " + this.tablePrefix + "NODE, " + this.tablePrefix
				+ "JOB_TAG) are missing from the database: " + cause.getMessage() + "\n\nexecra creates them only in "
				+ "embedded databases unless told otherwise (execra.jdbc.initialize-schema=embedded by default).";
	}

	private String action() {
		return "Either set 'execra.jdbc.initialize-schema=always' so that execra creates its tables at start-up, or "
				+ "create them yourself (e.g. in a Flyway or Liquibase migration) with the script for your database: "
				+ "classpath:io/execra/autoconfigure/jpa/schema-<platform>.sql, where <platform> is one of h2, "
				+ "postgresql, mariadb, mysql (replace EXECRA_ with your execra.jdbc.table-prefix if you changed it).";
	}

}
