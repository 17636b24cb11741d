package io.execra.autoconfigure.jpa;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import io.execra.Event;
import io.execra.ExecraRuntime;
import io.execra.FailureReason;
import io.execra.Job;
import io.execra.JobId;
import io.execra.Outcome;
import io.execra.cluster.ClaimRequest;
import io.execra.cluster.ClaimedJob;
import io.execra.cluster.ClusterSettings;
import io.execra.cluster.ClusterStore;
import io.execra.cluster.JobRecipe;
import io.execra.cluster.NodeInfo;
import io.execra.cluster.NodeLease;
import io.execra.store.JobStore;
import io.execra.store.JobStoreFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node frozen inside one of its fenced writes (a paused JVM) on PostgreSQL: it holds the share lock on its node row
 * and stays idle in transaction. The database ends its session after half the lease, so a live node rescues its job
 * soon after the lease lapsed, and keeps renewing its own lease meanwhile; the frozen node's late commit fails, and
 * the pool goes on serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterFrozenNodeOnPostgresTests {

	private static final Duration LEASE = Duration.ofSeconds(3);

	private static final Duration FREEZE = Duration.ofSeconds(12);

	private final String tablePrefix = TestDatabase.uniqueTablePrefix();

	private ConfigurableApplicationContext context;

	@BeforeAll
	void start() {
		this.context = TestDatabase.postgresql().start(this.tablePrefix, "execra.cluster.enabled=true",
				"spring.datasource.hikari.maximum-pool-size=4");
	}

	@AfterAll
	void stop() {
		if (this.context != null) {
			TestDatabase.dropTables(this.context.getBean(DataSource.class), this.tablePrefix);
			this.context.close();
		}
	}

	@Test
	void aNodeFrozenInAWriteIsRescuedWithinItsLeaseAndTheLiveNodeKeepsItsLease() throws Exception {
		ClusterStore store = this.context.getBean(ClusterStore.class);
		JobStore jobs = this.context.getBean(JobStore.class);
		TransactionTemplate outer = new TransactionTemplate(this.context.getBean(PlatformTransactionManager.class));
		Job queued = JobStoreFixtures.queued(JobStoreFixtures.newId(), "frozen", JobStoreFixtures.at(0), null);
		JobId id = queued.id();
		store.enqueue(queued, JobRecipe.preset("work", Map.of(), false, 0));
		long joined = System.nanoTime();
		NodeLease frozen = store.join("frozen", 1, LEASE).lease();
		List<ClaimedJob> claimed = store.claim(frozen, new ClaimRequest(1, Set.of("work"), Map.of()));
		assertThat(claimed).hasSize(1);
		Job running = JobStoreFixtures.running(claimed.get(0).job(), JobStoreFixtures.at(1));
		ExecutorService thread = Executors.newSingleThreadExecutor();
		CountDownLatch inWrite = new CountDownLatch(1);
		ClusterSettings settings = new ClusterSettings(store, LEASE, Duration.ofSeconds(1), 4, Duration.ofMillis(500),
				Map.of());
		try (ExecraRuntime live = ExecraRuntime.builder().store(jobs).nodeId("live").cluster(settings).build()) {
			long liveEpoch = node(store, "live").epoch();
			// the frozen node's write joins a transaction that then stays open, idle, like a JVM paused before commit
			Future<Throwable> lateCommit = thread.submit(() -> {
				try {
					outer.executeWithoutResult((status) -> {
						store.write(frozen, List.of(running), List.of(new Event.JobStarted(id, 2, JobStoreFixtures.at(1),
								1)));
						inWrite.countDown();
						sleep(FREEZE);
					});
					return null;
				}
				catch (RuntimeException ex) {
					return ex;
				}
			});
			assertThat(inWrite.await(10, TimeUnit.SECONDS)).isTrue();
			long bound = joined + LEASE.plus(Duration.ofSeconds(3)).toNanos();
			while (!jobs.find(id).orElseThrow().isFinalized()) {
				assertThat(System.nanoTime()).as("rescued within the lease and 3 s").isLessThan(bound);
				NodeInfo info = node(store, "live");
				assertThat(info.alive()).as("the live node's lease holds").isTrue();
				assertThat(info.epoch()).as("the live node never lost its lease").isEqualTo(liveEpoch);
				Thread.sleep(100);
			}
			Outcome outcome = jobs.find(id).orElseThrow().outcome();
			assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class,
					(failed) -> assertThat(failed.reason()).isInstanceOf(FailureReason.HostExited.class));
			assertThat(lateCommit.get(FREEZE.toSeconds() + 10, TimeUnit.SECONDS))
				.as("the frozen node's late commit fails")
				.isNotNull();
			assertThat(jobs.find(id).orElseThrow().outcome()).isEqualTo(outcome);
			for (int i = 0; i < 12; i++) {
				assertThat(node(store, "live").epoch()).isEqualTo(liveEpoch);
			}
			assertThat(store.join("frozen", 1, LEASE).lease().epoch()).isGreaterThan(frozen.epoch());
		}
		finally {
			thread.shutdownNow();
		}
	}

	private static NodeInfo node(ClusterStore store, String id) {
		return store.nodes().stream().filter((node) -> node.id().equals(id)).findFirst().orElseThrow();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
