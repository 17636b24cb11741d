package io.execra.autoconfigure.retention;

import javax.sql.DataSource;

import io.execra.autoconfigure.jpa.TestDatabase;
import io.execra.store.JobStore;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Retention sweeps on the JPA store on a real PostgreSQL (from {@code EXECRA_TEST_POSTGRES_URL}, else
 * Testcontainers, else skipped — a failure when {@code EXECRA_TEST_REQUIRE_DATABASES=true}), in tables of its own.
 */
class PostgresRetentionCleanerTests extends AbstractRetentionCleanerTests {

	private ConfigurableApplicationContext context;

	private String prefix;

	@Override
	protected JobStore createStore() {
		TestDatabase database = TestDatabase.postgresql();
		this.prefix = TestDatabase.uniqueTablePrefix();
		this.context = H2RetentionCleanerTests.startJpaStore(database.url(), database.username(), database.password(),
				"execra.jdbc.table-prefix=" + this.prefix);
		return this.context.getBean(JobStore.class);
	}

	@Override
	protected void closeStore() {
		TestDatabase.dropTables(this.context.getBean(DataSource.class), this.prefix);
		this.context.close();
	}

}
