package io.execra.autoconfigure.jpa;

import java.util.Collection;
import java.util.Collections;

/**
 * The names of the tables the {@link JdbcClusterStore} uses, with the configured prefix, and the dialect's SQL
 * pieces they are used with.
 *
 * @param prefix the table prefix
 * @param dialect the database's dialect
 */
record ClusterTables(String prefix, ClusterDialect dialect) {

	/** @return the nodes and their leases */
	String node() {
		return this.prefix + "CLUSTER_NODE";
	}

	/** @return the queue and the owner of each cluster job */
	String job() {
		return this.prefix + "CLUSTER_JOB";
	}

	/** @return a row per limited group, locked by claims of that group */
	String group() {
		return this.prefix + "CLUSTER_GROUP";
	}

	/** @return the job snapshots */
	String jobs() {
		return this.prefix + "JOB";
	}

	/** @return the tags of the jobs */
	String tags() {
		return this.prefix + "JOB_TAG";
	}

	/**
	 * @param values how many
	 * @return {@code (?, ?, ...)} for an {@code IN} list
	 */
	static String placeholders(Collection<?> values) {
		return "(" + String.join(", ", Collections.nCopies(values.size(), "?")) + ")";
	}

}
