package io.execra.autoconfigure.jpa;

import javax.sql.DataSource;

import io.execra.store.JobStore;
import io.execra.store.JobStoreContractTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the {@link JobStoreContractTests} against the {@link JpaJobStore} on H2, PostgreSQL and MariaDB, each with
 * tables of its own (a unique table prefix), created by the shipped script and validated by Hibernate.
 */
class JpaJobStoreContractTests {

	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	class OnH2 extends OnDatabase {

		OnH2() {
			super(TestDatabase.h2());
		}

	}

	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	class OnPostgresql extends OnDatabase {

		OnPostgresql() {
			super(TestDatabase.postgresql());
		}

	}

	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	class OnMariadb extends OnDatabase {

		OnMariadb() {
			super(TestDatabase.mariadb());
		}

	}

	abstract static class OnDatabase extends JobStoreContractTests {

		private final String tablePrefix = TestDatabase.uniqueTablePrefix();

		private final ConfigurableApplicationContext context;

		OnDatabase(TestDatabase database) {
			this.context = database.start(this.tablePrefix);
		}

		@Override
		protected JobStore createStore() {
			return this.context.getBean(JobStore.class);
		}

		@Override
		protected void cleanUp(JobStore store) {
			TestDatabase.deleteRows(this.context.getBean(DataSource.class), this.tablePrefix);
		}

		@AfterAll
		void dropTablesAndClose() {
			TestDatabase.dropTables(this.context.getBean(DataSource.class), this.tablePrefix);
			this.context.close();
		}

	}

}
