package io.execra.autoconfigure.jpa;

import java.time.Duration;
import javax.sql.DataSource;

import io.execra.cluster.ClusterStore;
import io.execra.cluster.ClusterStoreContractTests;
import io.execra.store.JobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * Runs the {@link ClusterStoreContractTests} against the {@link JdbcClusterStore} on H2, PostgreSQL and MariaDB,
 * each with tables of its own (a unique table prefix), created by the shipped script, the store built by the
 * auto-configuration with {@code execra.cluster.enabled=true}. Database time passes by waiting.
 */
class JdbcClusterStoreContractTests {

	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	class OnH2 extends OnDatabase {

		OnH2() {
			super(TestDatabase.h2(), false);
		}

	}

	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	class OnPostgresql extends OnDatabase {

		OnPostgresql() {
			super(TestDatabase.postgresql(), true);
		}

	}

	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	class OnMariadb extends OnDatabase {

		OnMariadb() {
			super(TestDatabase.mariadb(), false);
		}

	}

	abstract static class OnDatabase extends ClusterStoreContractTests {

		private final String tablePrefix = TestDatabase.uniqueTablePrefix();

		private final ConfigurableApplicationContext context;

		private final boolean signals;

		OnDatabase(TestDatabase database, boolean signals) {
			this.context = database.start(this.tablePrefix, "execra.cluster.enabled=true");
			this.signals = signals;
		}

		@Override
		protected ClusterStore createStore() {
			return this.context.getBean(ClusterStore.class);
		}

		@Override
		protected JobStore jobStore() {
			return this.context.getBean(JobStore.class);
		}

		@Override
		protected void letTimePass(Duration duration) throws InterruptedException {
			Thread.sleep(duration.toMillis());
		}

		@Override
		protected boolean hasSignals() {
			return this.signals;
		}

		@Override
		protected void awaitListening() {
			PostgresClusterSignals signals = (PostgresClusterSignals) createStore().signals().orElseThrow();
			await().atMost(Duration.ofSeconds(10)).until(signals::isListening);
		}

		@Override
		protected void cleanUp(ClusterStore store) {
			TestDatabase.deleteRows(this.context.getBean(DataSource.class), this.tablePrefix);
		}

		@AfterAll
		void dropTablesAndClose() {
			TestDatabase.dropTables(this.context.getBean(DataSource.class), this.tablePrefix);
			this.context.close();
		}

	}

}
