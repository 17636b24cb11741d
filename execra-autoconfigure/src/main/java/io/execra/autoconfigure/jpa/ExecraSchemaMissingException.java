package io.execra.autoconfigure.jpa;

import io.execra.store.StoreException;

/**
 * execra's tables are not in the database, found when the JPA job store starts.
 */
public class ExecraSchemaMissingException extends StoreException {

	private static final long serialVersionUID = 1L;

	private final String tablePrefix;

	/**
	 * Creates the exception.
	 * @param tablePrefix the configured table prefix
	 * @param cause the failed query
	 */
	public ExecraSchemaMissingException(String tablePrefix, Throwable cause) {
		super("execra's job history tables (" + tablePrefix + "JOB, " + tablePrefix + "EVENT...) are missing", cause);
		this.tablePrefix = tablePrefix;
	}

	/**
	 * The table prefix of the missing tables.
	 * @return the prefix
	 */
	public String getTablePrefix() {
		return this.tablePrefix;
	}

}
