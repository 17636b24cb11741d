package io.execra.autoconfigure.jpa;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

import io.execra.JobId;
import io.execra.cluster.ClusterSignals;
import io.execra.cluster.ClusterStore;
import io.execra.cluster.JobRecipe;
import io.execra.store.JobStoreFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code LISTEN/NOTIFY} signals of the {@link JdbcClusterStore} on a real PostgreSQL when the listening
 * connection is lost: the listener takes a new one, says so ({@code reconnected}), and hears signals again.
 */
@TestInstance(Lifecycle.PER_CLASS)
class PostgresClusterSignalsTests {

	private final String tablePrefix = TestDatabase.uniqueTablePrefix();

	private final ConfigurableApplicationContext context = TestDatabase.postgresql()
		.start(this.tablePrefix, "execra.cluster.enabled=true");

	@AfterAll
	void dropTablesAndClose() {
		TestDatabase.dropTables(this.context.getBean(DataSource.class), this.tablePrefix);
		this.context.close();
	}

	@Test
	void aLostListeningConnectionIsTakenAgainAndSaysSo() throws Exception {
		ClusterStore store = this.context.getBean(ClusterStore.class);
		PostgresClusterSignals signals = (PostgresClusterSignals) store.signals().orElseThrow();
		List<String> heard = new CopyOnWriteArrayList<>();
		try (AutoCloseable listening = signals.listen(new ClusterSignals.Listener() {

			@Override
			public void jobQueued() {
				heard.add("queued");
			}

			@Override
			public void cancelRequested(JobId id) {
			}

			@Override
			public void eventsWritten(JobId id) {
			}

			@Override
			public void reconnected() {
				heard.add("reconnected");
			}

		})) {
			await().atMost(Duration.ofSeconds(10)).until(signals::isListening);
			int cut = signals.backendPid();
			assertThat(cut).isPositive();
			new JdbcTemplate(this.context.getBean(DataSource.class)).queryForObject("SELECT pg_terminate_backend(?)",
					Boolean.class, cut);
			await().atMost(Duration.ofSeconds(20)).until(() -> heard.contains("reconnected"));
			assertThat(signals.backendPid()).isNotEqualTo(cut);
			store.enqueue(JobStoreFixtures.queued(JobStoreFixtures.newId(), "node-a", JobStoreFixtures.at(0), null),
					JobRecipe.preset("p", Map.of(), false, 0));
			await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("queued"));
		}
		assertThat(Set.copyOf(heard)).containsExactlyInAnyOrder("reconnected", "queued");
	}

}
