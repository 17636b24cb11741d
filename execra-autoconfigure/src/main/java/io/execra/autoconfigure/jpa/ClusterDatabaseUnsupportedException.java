package io.execra.autoconfigure.jpa;

import io.execra.store.StoreException;

/**
 * Cluster mode was asked for on a database that cannot claim jobs safely: it needs {@code FOR UPDATE SKIP LOCKED}.
 * Raised at start-up, before any node joins.
 */
public class ClusterDatabaseUnsupportedException extends StoreException {

	private static final long serialVersionUID = 1L;

	private final String database;

	/**
	 * Creates the exception.
	 * @param database the database's product name and version, as its JDBC driver reports them
	 */
	public ClusterDatabaseUnsupportedException(String database) {
		super("Cluster mode (execra.cluster.enabled=true) is not supported on " + database + ": it needs "
				+ ClusterDialect.SUPPORTED + ", whose SELECT ... FOR UPDATE SKIP LOCKED lets nodes claim jobs without"
				+ " waiting for each other", null);
		this.database = database;
	}

	/**
	 * The database that was refused.
	 * @return its product name and version
	 */
	public String getDatabase() {
		return this.database;
	}

}
