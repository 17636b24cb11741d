package io.execra.autoconfigure.jpa;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import org.springframework.boot.jdbc.init.PropertiesBasedDataSourceScriptDatabaseInitializer;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.util.StreamUtils;

/**
 * Creates execra's tables from the schema script of the database ({@code execra.jdbc.schema}, by default
 * {@code schema-@@platform@@.sql}) when {@code execra.jdbc.initialize-schema} says so. The shipped scripts name
 * their tables and indexes {@code EXECRA_...}; that prefix is replaced by {@code execra.jdbc.table-prefix}. The
 * scripts use {@code CREATE ... IF NOT EXISTS} (MySQL declares its indexes inline), so running them again is
 * harmless, and the same DDL can be copied into a Flyway or Liquibase migration.
 */
public class ExecraDataSourceScriptDatabaseInitializer
		extends PropertiesBasedDataSourceScriptDatabaseInitializer<ExecraJdbcProperties> {

	private final String tablePrefix;

	/**
	 * Creates the initializer.
	 * @param dataSource the data source to initialize
	 * @param properties the execra JDBC properties
	 */
	public ExecraDataSourceScriptDatabaseInitializer(DataSource dataSource, ExecraJdbcProperties properties) {
		super(dataSource, properties);
		this.tablePrefix = properties.getTablePrefix();
	}

	@Override
	protected void runScripts(Scripts scripts) {
		Charset encoding = (scripts.getEncoding() != null) ? scripts.getEncoding() : StandardCharsets.UTF_8;
		List<Resource> prefixed = new ArrayList<>();
		for (Resource script : scripts) {
			prefixed.add(withTablePrefix(script, encoding));
		}
		super.runScripts(new Scripts(prefixed).continueOnError(scripts.isContinueOnError())
			.separator(scripts.getSeparator())
			.encoding(encoding));
	}

	private Resource withTablePrefix(Resource script, Charset encoding) {
		if (ExecraJdbcProperties.DEFAULT_TABLE_PREFIX.equals(this.tablePrefix)) {
			return script;
		}
		try {
			String sql = StreamUtils.copyToString(script.getInputStream(), encoding)
				.replace(ExecraJdbcProperties.DEFAULT_TABLE_PREFIX, this.tablePrefix);
			return new ByteArrayResource(sql.getBytes(encoding),
					script.getDescription() + " with table prefix " + this.tablePrefix);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + script.getDescription(), ex);
		}
	}

}
