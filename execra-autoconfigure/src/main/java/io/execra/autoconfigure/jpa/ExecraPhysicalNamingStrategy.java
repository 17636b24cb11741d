package io.execra.autoconfigure.jpa;

import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.naming.PhysicalNamingStrategy;
import org.hibernate.engine.jdbc.env.spi.JdbcEnvironment;
import org.jspecify.annotations.Nullable;

/**
 * Gives execra's tables the configured prefix, exactly as the schema scripts create them, and leaves every other
 * name to the application's naming strategy. Execra's entities name their tables {@code EXECRA_...}; the case of
 * the name is kept because MySQL and MariaDB compare table names case-sensitively on most systems.
 */
final class ExecraPhysicalNamingStrategy implements PhysicalNamingStrategy {

	private final PhysicalNamingStrategy delegate;

	private final String tablePrefix;

	ExecraPhysicalNamingStrategy(PhysicalNamingStrategy delegate, String tablePrefix) {
		this.delegate = delegate;
		this.tablePrefix = tablePrefix;
	}

	PhysicalNamingStrategy delegate() {
		return this.delegate;
	}

	@Override
	public @Nullable Identifier toPhysicalTableName(Identifier logicalName, JdbcEnvironment environment) {
		String text = logicalName.getText();
		if (text.startsWith(ExecraJdbcProperties.DEFAULT_TABLE_PREFIX)) {
			return Identifier.toIdentifier(
					this.tablePrefix + text.substring(ExecraJdbcProperties.DEFAULT_TABLE_PREFIX.length()),
					logicalName.isQuoted());
		}
		return this.delegate.toPhysicalTableName(logicalName, environment);
	}

	@Override
	public @Nullable Identifier toPhysicalCatalogName(@Nullable Identifier logicalName, JdbcEnvironment environment) {
		return this.delegate.toPhysicalCatalogName(logicalName, environment);
	}

	@Override
	public @Nullable Identifier toPhysicalSchemaName(@Nullable Identifier logicalName, JdbcEnvironment environment) {
		return this.delegate.toPhysicalSchemaName(logicalName, environment);
	}

	@Override
	public @Nullable Identifier toPhysicalSequenceName(Identifier logicalName, JdbcEnvironment environment) {
		return this.delegate.toPhysicalSequenceName(logicalName, environment);
	}

	@Override
	public @Nullable Identifier toPhysicalColumnName(Identifier logicalName, JdbcEnvironment environment) {
		return this.delegate.toPhysicalColumnName(logicalName, environment);
	}

}
