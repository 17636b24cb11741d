package io.execra.autoconfigure.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Runs one statement for each of many rows as JDBC batches of a fixed size, for the rows the JPA store writes with
 * plain JDBC ({@link EventRows}, {@link JobRows}).
 */
final class JdbcBatches {

	private JdbcBatches() {
	}

	/**
	 * @param connection the transaction's connection
	 * @param sql the statement
	 * @param rows the rows, none to do nothing
	 * @param batchSize statements per batch
	 * @param binder sets one row's parameters
	 * @throws SQLException if the database refuses a statement
	 */
	static <T> void execute(Connection connection, String sql, Iterable<T> rows, int batchSize, Binder<T> binder)
			throws SQLException {
		if (!rows.iterator().hasNext()) {
			return;
		}
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			int pending = 0;
			for (T row : rows) {
				binder.bind(statement, row);
				statement.addBatch();
				if (++pending == batchSize) {
					statement.executeBatch();
					pending = 0;
				}
			}
			if (pending > 0) {
				statement.executeBatch();
			}
		}
	}

	/** Sets the parameters of one row's statement. */
	@FunctionalInterface
	interface Binder<T> {

		void bind(PreparedStatement statement, T row) throws SQLException;

	}

}
