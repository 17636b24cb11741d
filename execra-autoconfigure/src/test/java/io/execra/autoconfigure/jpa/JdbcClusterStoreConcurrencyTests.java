package io.execra.autoconfigure.jpa;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import io.execra.Event;
import io.execra.Job;
import io.execra.JobId;
import io.execra.Outcome;
import io.execra.cluster.ClaimRequest;
import io.execra.cluster.ClaimedJob;
import io.execra.cluster.ClusterStore;
import io.execra.cluster.JobRecipe;
import io.execra.cluster.NodeLease;
import io.execra.store.JobStore;
import io.execra.store.JobStoreFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nodes claiming at once on a real database, each thread on connections of its own: a cluster-wide limit of 2 on a
 * tag is never exceeded, as a sampler reading the claimed rows from the database sees it, and every job is claimed
 * and finalized exactly once; a claim of jobs in no limited group does not wait for the groups' locks.
 */
class JdbcClusterStoreConcurrencyTests {

	private static final int NODES = 8;

	private static final int LIMITED = 80;

	private static final int FREE = 40;

	private static final String TAG = "limited";

	/** A limited tag of its own for tests that do not drain the queue of {@link #TAG}. */
	private static final String CAPPED = "capped";

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

	abstract static class OnDatabase {

		private final String tablePrefix = TestDatabase.uniqueTablePrefix();

		private final ConfigurableApplicationContext context;

		OnDatabase(TestDatabase database) {
			this.context = database.start(this.tablePrefix, "execra.cluster.enabled=true",
					"spring.datasource.hikari.maximum-pool-size=" + (NODES + 4));
		}

		@AfterAll
		void dropTablesAndClose() {
			TestDatabase.dropTables(this.context.getBean(DataSource.class), this.tablePrefix);
			this.context.close();
		}

		@Test
		void aTagLimitHoldsAndEveryJobRunsOnceWhileNodesClaimAtOnce() throws Exception {
			ClusterStore store = this.context.getBean(ClusterStore.class);
			JobStore jobs = this.context.getBean(JobStore.class);
			Set<JobId> enqueued = new HashSet<>();
			for (int i = 0; i < LIMITED + FREE; i++) {
				Job job = (i % 3 == 2) ? queued() : queued(TAG);
				enqueued.add(job.id());
				store.enqueue(job, JobRecipe.preset("work", Map.of("n", Integer.toString(i)), false, i % 2));
			}
			ClaimRequest request = new ClaimRequest(3, Set.of("work"), Map.of(TAG, 2));
			List<JobId> claims = new CopyOnWriteArrayList<>();
			AtomicInteger running = new AtomicInteger();
			AtomicInteger mostRunning = new AtomicInteger();
			AtomicInteger mostStored = new AtomicInteger();
			AtomicBoolean done = new AtomicBoolean();
			ExecutorService threads = Executors.newFixedThreadPool(NODES + 1);
			try {
				Future<?> sampler = threads.submit(() -> sampleClaimedOfTheTag(mostStored, done));
				CyclicBarrier start = new CyclicBarrier(NODES);
				List<Future<?>> nodes = new ArrayList<>();
				for (int n = 0; n < NODES; n++) {
					String nodeId = "node-" + n;
					nodes.add(threads.submit(() -> {
						NodeLease lease = store.join(nodeId, 3, Duration.ofMinutes(5)).lease();
						start.await();
						while (claims.size() < enqueued.size()) {
							List<ClaimedJob> batch = store.claim(lease, request);
							if (batch.isEmpty()) {
								Thread.sleep(2);
							}
							for (ClaimedJob claimed : batch) {
								boolean limited = claimed.job().tags().contains(TAG);
								if (limited) {
									mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
								}
								claims.add(claimed.job().id());
								Thread.sleep(3);
								if (limited) {
									running.decrementAndGet();
								}
								finish(store, jobs, lease, claimed);
							}
						}
						return null;
					}));
				}
				for (Future<?> node : nodes) {
					node.get(3, TimeUnit.MINUTES);
				}
				done.set(true);
				sampler.get(1, TimeUnit.MINUTES);
			}
			finally {
				threads.shutdownNow();
			}
			assertThat(mostRunning.get()).as("limited jobs running at once, seen by the nodes").isBetween(1, 2);
			assertThat(mostStored.get()).as("limited jobs claimed at once, read from the database").isBetween(1, 2);
			assertThat(claims).hasSize(enqueued.size()).doesNotHaveDuplicates();
			assertThat(Set.copyOf(claims)).isEqualTo(enqueued);
			for (JobId id : enqueued) {
				assertThat(jobs.find(id).orElseThrow().outcome()).isInstanceOf(Outcome.Succeeded.class);
				assertThat(jobs.events(id, 0, 100)).filteredOn(Event::isTerminal).hasSize(1);
			}
		}

		@Test
		void jobsInNoLimitedGroupAreClaimedWhileAnotherClaimHoldsTheGroupsLock() throws Exception {
			ClusterStore store = this.context.getBean(ClusterStore.class);
			ClaimRequest request = new ClaimRequest(3, Set.of("free"), Map.of(CAPPED, 2));
			NodeLease lease = store.join("node-free", 3, Duration.ofMinutes(5)).lease();
			assertThat(store.claim(lease, request)).as("nothing queued yet; creates the group's row").isEmpty();
			Set<JobId> free = new HashSet<>();
			for (int i = 0; i < 3; i++) {
				Job job = queued();
				free.add(job.id());
				store.enqueue(job, JobRecipe.preset("free", Map.of(), false, 0));
			}
			ExecutorService claimer = Executors.newSingleThreadExecutor();
			try (Connection holder = this.context.getBean(DataSource.class).getConnection()) {
				holder.setAutoCommit(false);
				try (Statement statement = holder.createStatement()) {
					// what a claim of the limited group holds from its first statement to its commit
					statement.executeQuery("SELECT NAME FROM " + this.tablePrefix + "CLUSTER_GROUP WHERE NAME = '" + CAPPED
							+ "' FOR UPDATE").close();
					Future<List<ClaimedJob>> claimed = claimer.submit(() -> store.claim(lease, request));
					assertThat(claimed.get(10, TimeUnit.SECONDS)).map((job) -> job.job().id())
						.containsExactlyInAnyOrderElementsOf(free);
				}
				finally {
					holder.rollback();
				}
			}
			finally {
				claimer.shutdownNow();
			}
			Job limited = queued(CAPPED);
			store.enqueue(limited, JobRecipe.preset("free", Map.of(), false, 0));
			assertThat(store.claim(lease, request)).as("a limited job, once the lock is free")
				.map((job) -> job.job().id())
				.containsExactly(limited.id());
		}

		private Void sampleClaimedOfTheTag(AtomicInteger most, AtomicBoolean done) throws InterruptedException {
			JdbcTemplate jdbc = new JdbcTemplate(this.context.getBean(DataSource.class));
			String count = "SELECT COUNT(*) FROM " + this.tablePrefix + "CLUSTER_JOB c JOIN " + this.tablePrefix
					+ "JOB_TAG t ON t.JOB_ID = c.JOB_ID WHERE c.STATUS = 'CLAIMED' AND t.TAG = ?";
			while (!done.get()) {
				Integer claimed = jdbc.queryForObject(count, Integer.class, TAG);
				most.accumulateAndGet((claimed != null) ? claimed : 0, Math::max);
				Thread.sleep(1);
			}
			return null;
		}

		private static Job queued(String... tags) {
			return JobStoreFixtures.queued(JobStoreFixtures.newId(), "node-spawner", JobStoreFixtures.at(0), null,
					tags);
		}

		private static void finish(ClusterStore store, JobStore jobs, NodeLease lease, ClaimedJob claimed) {
			JobId id = claimed.job().id();
			Job done = JobStoreFixtures.finalized(JobStoreFixtures.running(claimed.job(), JobStoreFixtures.at(1)),
					JobStoreFixtures.succeeded(), JobStoreFixtures.at(2));
			assertThat(store.write(lease, List.of(done), List.of(new Event.JobStarted(id, 2, JobStoreFixtures.at(1), 1),
					new Event.Finalized(id, 3, JobStoreFixtures.at(2), done.outcome())))).isZero();
		}

	}

}
