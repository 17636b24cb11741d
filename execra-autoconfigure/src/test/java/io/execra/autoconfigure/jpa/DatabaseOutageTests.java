package io.execra.autoconfigure.jpa;

import java.io.File;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.Job;
import io.execra.JobHandle;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.autoconfigure.health.ExecraHealthIndicator;
import io.execra.store.JobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stops the local PostgreSQL cluster for 20 s while 50 jobs run on the JPA store: every job still finalizes, and
 * once the database is back every terminal state reaches it. Stops a shared service, so it runs only when
 * {@code EXECRA_TEST_DB_OUTAGE=true} (CI sets it), and always starts PostgreSQL again.
 */
@EnabledIfEnvironmentVariable(named = "EXECRA_TEST_DB_OUTAGE", matches = "true")
class DatabaseOutageTests {

	private static final int JOBS = 50;

	private static final Duration OUTAGE = Duration.ofSeconds(20);

	@Test
	void jobsFinalizeDuringAnOutageTheHealthIsDownAndEverythingIsPersistedWhenTheDatabaseReturns() throws Exception {
		TestDatabase database = TestDatabase.postgresql();
		String prefix = TestDatabase.uniqueTablePrefix();
		try (ConfigurableApplicationContext context = database.start(prefix,
				"spring.datasource.hikari.connection-timeout=1000", "spring.datasource.hikari.validation-timeout=500",
				"spring.datasource.hikari.maximum-pool-size=4")) {
			JobStore store = context.getBean(JobStore.class);
			ExecraRuntime runtime = ExecraRuntime.builder()
				.store(store)
				.nodeId("outage-" + UUID.randomUUID())
				.maxConcurrent(JOBS)
				.storeWriteTimeout(Duration.ofSeconds(2))
				.build();
			ExecraHealthIndicator health = new ExecraHealthIndicator(() -> Map.of("default", runtime), () -> null,
					Clock.systemUTC());
			try {
				assertThat(health.health().getStatus()).isEqualTo(Status.UP);
				List<JobHandle> handles = new ArrayList<>();
				for (int i = 0; i < JOBS; i++) {
					handles.add(runtime.spawn(Command.of("sleep", "5").tags("outage")));
				}
				List<JobId> ids = handles.stream().map(JobHandle::id).toList();
				await().atMost(Duration.ofSeconds(30))
					.until(() -> ids.stream().allMatch((id) -> stateOf(runtime, id) == JobState.RUNNING));
				long stoppedAt = System.nanoTime();
				cluster("stop");
				try {
					CompletableFuture<?>[] outcomes = handles.stream().map(JobHandle::outcome).toArray(CompletableFuture[]::new);
					CompletableFuture.allOf(outcomes).get(OUTAGE.toSeconds(), TimeUnit.SECONDS);
					assertThat(handles).allSatisfy((handle) -> assertThat(handle.outcome().getNow(null))
						.isInstanceOf(Outcome.Succeeded.class));
					assertThat(runtime.stats().storeBacklog())
						.as("snapshots and events waiting for the database")
						.isPositive();
					assertThat(health.health().getStatus()).as("execra health while the database is down")
						.isEqualTo(Status.DOWN);
					long left = OUTAGE.toNanos() - (System.nanoTime() - stoppedAt);
					if (left > 0) {
						Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left));
					}
				}
				finally {
					cluster("start");
				}
				long restartedAt = System.nanoTime();
				await().atMost(Duration.ofSeconds(60))
					.pollInterval(Duration.ofMillis(500))
					.ignoreExceptions()
					.until(() -> ids.stream().allMatch((id) -> isSucceededInStore(store, id)));
				System.out.printf("All %d terminal states persisted %d ms after PostgreSQL restarted%n", JOBS,
						TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt));
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(health.health().getStatus()).as("execra health after the outage")
						.isEqualTo(Status.UP));
			}
			finally {
				runtime.shutdown(Duration.ofSeconds(10));
				TestDatabase.dropTables(context.getBean(DataSource.class), prefix);
			}
		}
	}

	private static JobState stateOf(ExecraRuntime runtime, JobId id) {
		return runtime.job(id).map(Job::state).orElse(JobState.QUEUED);
	}

	private static boolean isSucceededInStore(JobStore store, JobId id) {
		return store.find(id).map(Job::outcome).filter(Objects::nonNull).map(Outcome::isSuccess).orElse(false);
	}

	/** {@code pg_ctlcluster --skip-systemctl-redirect <version> main stop|start}. */
	private static void cluster(String action) throws IOException, InterruptedException {
		String[] versions = new File("/etc/postgresql").list();
		assertThat(versions).as("PostgreSQL clusters in /etc/postgresql").isNotNull().hasSize(1);
		Process process = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main",
				action)
			.redirectErrorStream(true)
			.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("pg_ctlcluster %s finished", action).isTrue();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.exitValue()).as("pg_ctlcluster %s: %s", action, output).isZero();
	}

}
