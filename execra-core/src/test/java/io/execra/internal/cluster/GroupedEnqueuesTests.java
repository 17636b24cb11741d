package io.execra.internal.cluster;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.execra.Job;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.cluster.ClaimRequest;
import io.execra.cluster.ClaimedJob;
import io.execra.cluster.InMemoryClusterStore;
import io.execra.cluster.JobRecipe;
import io.execra.cluster.NodeLease;
import io.execra.store.InMemoryJobStore;
import io.execra.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.execra.store.JobStoreFixtures.at;
import static io.execra.store.JobStoreFixtures.newId;
import static io.execra.store.JobStoreFixtures.queued;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link GroupedEnqueues} on a real in-memory cluster store whose first transaction is held open, so that the
 * spawns arriving meanwhile are queued together.
 */
class GroupedEnqueuesTests {

	private static final JobRecipe RECIPE = JobRecipe.preset("p", Map.of(), false, 0);

	private final InMemoryJobStore jobs = new InMemoryJobStore();

	private final HeldStore store = new HeldStore(this.jobs);

	private final ExecutorService spawners = Executors.newCachedThreadPool();

	@AfterEach
	void stop() {
		this.store.release.countDown();
		this.spawners.shutdownNow();
	}

	@Test
	void spawnsArrivingDuringATransactionAreQueuedTogetherInTheNextInTheirOrder() throws Exception {
		GroupedEnqueues enqueues = new GroupedEnqueues(this.store, 500, this::stored);
		List<Job> all = new ArrayList<>();
		List<Future<?>> spawns = spawnWhileTheFirstIsHeld(enqueues, 20, all);
		assertThat(spawns.subList(1, spawns.size())).noneMatch(Future::isDone);
		releaseAndAwait(spawns);
		assertThat(this.store.groups).containsExactly(1, 20);
		assertClaimedInOrder(all);
	}

	@Test
	void moreSpawnsWaitingThanAGroupHoldsAreWrittenInSeveralInTheirOrder() throws Exception {
		GroupedEnqueues enqueues = new GroupedEnqueues(this.store, 2, this::stored);
		List<Job> all = new ArrayList<>();
		List<Future<?>> spawns = spawnWhileTheFirstIsHeld(enqueues, 5, all);
		releaseAndAwait(spawns);
		assertThat(this.store.groups).containsExactly(1, 2, 2, 1);
		assertClaimedInOrder(all);
	}

	@Test
	void aJobTheGroupCannotStoreFailsOnlyItsOwnSpawn() throws Exception {
		GroupedEnqueues enqueues = new GroupedEnqueues(this.store, 500, this::stored);
		Job stored = job();
		this.store.storeNow(stored);
		Job first = job();
		Future<?> firstSpawn = this.spawners.submit(() -> enqueues.enqueue(first, RECIPE));
		assertThat(this.store.entered.await(10, TimeUnit.SECONDS)).isTrue();
		Job good = job();
		Future<?> goodSpawn = this.spawners.submit(() -> enqueues.enqueue(good, RECIPE));
		awaitWaiting(enqueues, 1);
		Future<?> duplicateSpawn = this.spawners.submit(() -> enqueues.enqueue(stored, RECIPE));
		awaitWaiting(enqueues, 2);
		this.store.release.countDown();
		firstSpawn.get(10, TimeUnit.SECONDS);
		goodSpawn.get(10, TimeUnit.SECONDS);
		assertThatIllegalArgumentException().isThrownBy(() -> {
			try {
				duplicateSpawn.get(10, TimeUnit.SECONDS);
			}
			catch (java.util.concurrent.ExecutionException ex) {
				throw ex.getCause();
			}
		}).withMessageContaining(stored.id().toString());
		assertThat(this.jobs.find(good.id())).hasValueSatisfying((job) -> assertThat(job.state()).isEqualTo(JobState.QUEUED));
		assertThat(this.jobs.events(good.id(), 0, 10)).hasSize(1);
		assertThat(this.jobs.events(stored.id(), 0, 10)).hasSize(1);
	}

	@Test
	void aLoneFailingSpawnIsTriedOnce() {
		GroupedEnqueues enqueues = new GroupedEnqueues(this.store, 500, this::stored);
		this.store.release.countDown();
		Job stored = job();
		enqueues.enqueue(stored, RECIPE);
		assertThatIllegalArgumentException().isThrownBy(() -> enqueues.enqueue(stored, RECIPE));
		assertThat(this.store.groups).containsExactly(1, 1);
	}

	@Test
	void aSpawnWhoseCommitWasNotAnsweredReturnsOnceTheStoreHasItsJob() {
		GroupedEnqueues enqueues = new GroupedEnqueues(this.store, 500, this::stored);
		this.store.release.countDown();
		this.store.loseAnswers = true;
		Job job = job();
		enqueues.enqueue(job, RECIPE);
		assertThat(this.store.groups).as("not queued again").containsExactly(1);
		assertClaimedInOrder(List.of(job));
	}

	@Test
	void aGroupWhoseCommitWasNotAnsweredIsStoredOnceAndEverySpawnReturns() throws Exception {
		GroupedEnqueues enqueues = new GroupedEnqueues(this.store, 500, this::stored);
		this.store.loseAnswers = true;
		List<Job> all = new ArrayList<>();
		List<Future<?>> spawns = spawnWhileTheFirstIsHeld(enqueues, 5, all);
		releaseAndAwait(spawns);
		assertThat(this.store.groups).as("not queued again").containsExactly(1, 5);
		assertClaimedInOrder(all);
	}

	@Test
	void aGroupInDoubtWhileTheStoreCannotTellIsResolvedWhenEachIsQueuedAlone() throws Exception {
		GroupedEnqueues enqueues = new GroupedEnqueues(this.store, 500, this::stored);
		List<Job> all = new ArrayList<>();
		List<Future<?>> spawns = spawnWhileTheFirstIsHeld(enqueues, 3, all);
		this.store.loseAnswersOfGroups = true;
		this.cannotTell = 1;
		releaseAndAwait(spawns);
		assertClaimedInOrder(all);
	}

	@Test
	void aSpawnWhoseStoreIsDownFailsWithTheStoresReason() {
		GroupedEnqueues enqueues = new GroupedEnqueues(this.store, 500, this::stored);
		this.store.release.countDown();
		this.store.down = true;
		this.cannotTell = Integer.MAX_VALUE;
		Job job = job();
		assertThatExceptionOfType(StoreException.class).isThrownBy(() -> enqueues.enqueue(job, RECIPE))
			.withMessageContaining("connection refused")
			.withMessageContaining("Job " + job.id() + " may be queued")
			.satisfies((ex) -> assertThat(ex.getSuppressed()).singleElement()
				.satisfies((cause) -> assertThat(cause).hasMessageContaining("cannot tell")));
		assertThat(this.store.groups).containsExactly(1);
	}

	@Test
	void aSpawnWhoseCommitWasNotAnsweredWhileTheStoreCannotTellSaysItsJobMayBeQueued() {
		GroupedEnqueues enqueues = new GroupedEnqueues(this.store, 500, this::stored);
		this.store.release.countDown();
		this.store.loseAnswers = true;
		this.cannotTell = 1;
		Job job = job();
		assertThatExceptionOfType(StoreException.class).isThrownBy(() -> enqueues.enqueue(job, RECIPE))
			.withMessageContaining("Job " + job.id() + " may be queued")
			.satisfies((ex) -> assertThat(ex.getSuppressed()).singleElement()
				.satisfies((cause) -> assertThat(cause).hasMessageContaining("cannot tell")));
		assertThat(this.store.groups).as("not queued again").containsExactly(1);
		assertThat(stored(job.id())).as("stored, as the message warned").isTrue();
		assertClaimedInOrder(List.of(job));
	}

	/**
	 * Spawns a first job, whose transaction the store holds, then {@code waiting} more, one at a time, each once the
	 * one before waits.
	 * @param jobs receives the jobs in the order they were spawned
	 * @return the spawns, the first one's first
	 */
	private List<Future<?>> spawnWhileTheFirstIsHeld(GroupedEnqueues enqueues, int waiting, List<Job> jobs)
			throws InterruptedException {
		Job first = job();
		jobs.add(first);
		List<Future<?>> spawns = new ArrayList<>(List.of(this.spawners.submit(() -> enqueues.enqueue(first, RECIPE))));
		assertThat(this.store.entered.await(10, TimeUnit.SECONDS)).isTrue();
		for (int i = 0; i < waiting; i++) {
			Job job = job();
			jobs.add(job);
			spawns.add(this.spawners.submit(() -> enqueues.enqueue(job, RECIPE)));
			awaitWaiting(enqueues, i + 1);
		}
		return spawns;
	}

	/** Lets the held transaction go on and waits until every spawn has returned. */
	private void releaseAndAwait(List<Future<?>> spawns) throws Exception {
		this.store.release.countDown();
		for (Future<?> spawn : spawns) {
			spawn.get(10, TimeUnit.SECONDS);
		}
	}

	/** Claims everything queued and checks it comes in the order of {@code jobs}. */
	private void assertClaimedInOrder(List<Job> jobs) {
		NodeLease lease = this.store.join("a", 100, java.time.Duration.ofMinutes(1)).lease();
		List<ClaimedJob> claimed = this.store.claim(lease, new ClaimRequest(100, java.util.Set.of("p"), Map.of()));
		assertThat(claimed).extracting((c) -> c.job().id())
			.containsExactlyElementsOf(jobs.stream().map(Job::id).toList());
	}

	/** How many more times {@link #stored} cannot tell. */
	private volatile int cannotTell;

	private boolean stored(JobId id) {
		if (this.cannotTell > 0) {
			this.cannotTell--;
			throw new StoreException("Could not read job " + id + ": cannot tell (test)");
		}
		return this.jobs.find(id).isPresent();
	}

	private static Job job() {
		return queued(newId(), "spawner", at(0), null);
	}

	private static void awaitWaiting(GroupedEnqueues enqueues, int count) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (enqueues.waitingCount() < count) {
			assertThat(System.nanoTime()).isLessThan(deadline);
			Thread.sleep(1);
		}
	}

	/** The in-memory store, its first transaction held until released; it records each transaction's size. */
	private static final class HeldStore extends InMemoryClusterStore {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final List<Integer> groups = new CopyOnWriteArrayList<>();

		/** Each transaction commits, then fails as a connection broken at the commit would. */
		volatile boolean loseAnswers;

		/** As {@link #loseAnswers}, for transactions of more than one job only. */
		volatile boolean loseAnswersOfGroups;

		/** Each transaction fails and stores nothing. */
		volatile boolean down;

		HeldStore(InMemoryJobStore jobs) {
			super(jobs, Clock.systemUTC());
		}

		void storeNow(Job job) {
			super.enqueueAll(List.of(new Queued(job, RECIPE)));
		}

		@Override
		public void enqueueAll(List<Queued> queued) {
			this.groups.add(queued.size());
			this.entered.countDown();
			try {
				this.release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			if (this.down) {
				throw new StoreException("Could not enqueue: connection refused (test)");
			}
			super.enqueueAll(queued);
			if (this.loseAnswers || (this.loseAnswersOfGroups && queued.size() > 1)) {
				throw new StoreException("Could not enqueue: I/O error at the commit, its answer lost (test)");
			}
		}

	}

}
