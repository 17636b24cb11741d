package io.execra.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.execra.Event;
import io.execra.FailureReason;
import io.execra.Job;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.StdStream;
import io.execra.store.JobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.execra.store.JobStoreFixtures.at;
import static io.execra.store.JobStoreFixtures.finalized;
import static io.execra.store.JobStoreFixtures.newId;
import static io.execra.store.JobStoreFixtures.queued;
import static io.execra.store.JobStoreFixtures.running;
import static io.execra.store.JobStoreFixtures.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every {@link ClusterStore} implements, as documented on the SPI. A store's test extends this class
 * and provides a store per test, the {@link JobStore} of the same database, and a way to let database time pass.
 * Node, preset and tag names are unique per test, so a store over a database other tests use stays correct.
 */
public abstract class ClusterStoreContractTests {

	/** A lease that lapses within a test: {@link #letTimePass} of a little more lapses it. */
	protected static final Duration SHORT = Duration.ofSeconds(1);

	/** How long after a lease of a millisecond it surely lapsed, on any database clock. */
	private static final Duration LAPSE_MARGIN = Duration.ofMillis(100);

	/** A lease that never lapses within a test. */
	protected static final Duration LONG = Duration.ofMinutes(10);

	private ClusterStore store;

	private final String run = UUID.randomUUID().toString().substring(0, 8);

	/**
	 * Creates the store for one test.
	 * @return the store
	 */
	protected abstract ClusterStore createStore();

	/**
	 * The job store of the same database, as the runtime of a node reads it.
	 * @return the job store
	 */
	protected abstract JobStore jobStore();

	/**
	 * Lets at least {@code duration} pass on the database clock.
	 * @param duration how long
	 * @throws InterruptedException if interrupted while waiting
	 */
	protected abstract void letTimePass(Duration duration) throws InterruptedException;

	/**
	 * Whether the store offers {@link ClusterStore#signals()}.
	 * @return {@code true} if it does
	 */
	protected abstract boolean hasSignals();

	/**
	 * Releases what {@link #createStore()} made. Called after each test.
	 * @param store the store of the test
	 * @throws Exception on failure
	 */
	protected void cleanUp(ClusterStore store) throws Exception {
	}

	@BeforeEach
	void createStoreForTest() {
		this.store = createStore();
	}

	@AfterEach
	void cleanUpStore() throws Exception {
		cleanUp(this.store);
	}

	// ---- join, renew, leave, nodes -----------------------------------------------------------------------------

	@Test
	void joinGivesALeaseWithAGreaterEpochEachTime() {
		NodeLease first = this.store.join(node("a"), 4, LONG).lease();
		NodeLease second = this.store.join(node("a"), 4, LONG).lease();
		assertThat(first.nodeId()).isEqualTo(node("a"));
		assertThat(second.epoch()).isGreaterThan(first.epoch());
		assertThat(mine(this.store.nodes())).singleElement().satisfies((info) -> {
			assertThat(info.epoch()).isEqualTo(second.epoch());
			assertThat(info.alive()).isTrue();
			assertThat(info.capacity()).isEqualTo(4);
			assertThat(info.leaseUntil()).isAfter(info.joinedAt());
		});
	}

	@Test
	void joinRescuesTheNodesJobsOfItsEarlierEpoch() {
		NodeLease first = this.store.join(node("a"), 4, LONG).lease();
		Job plain = enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		Job restartable = enqueue(JobRecipe.preset(preset("x"), Map.of("n", "1"), true, 0));
		List<ClaimedJob> claimed = this.store.claim(first, request(10, preset("x")));
		assertThat(claimed).hasSize(2);
		start(first, claimed.get(0));
		ClusterStore.Joined again = this.store.join(node("a"), 4, LONG);
		assertThat(again.rescued()).extracting((r) -> r.job().id())
			.containsExactlyInAnyOrder(plain.id(), restartable.id());
		assertThat(again.rescued()).filteredOn(ClusterStore.Rescued::requeued)
			.singleElement()
			.satisfies((r) -> assertThat(r.job().id()).isEqualTo(restartable.id()));
		assertFailedHostExited(plain.id());
		assertThat(stored(restartable.id()).state()).isEqualTo(JobState.QUEUED);
		List<ClaimedJob> rerun = this.store.claim(again.lease(), request(10, preset("x")));
		assertThat(rerun).singleElement().satisfies((c) -> {
			assertThat(c.job().id()).isEqualTo(restartable.id());
			assertThat(c.attempt()).isEqualTo(2);
			assertThat(c.recipe().parameters()).containsEntry("n", "1");
		});
	}

	@Test
	void joinOfANewNodeRescuesNothing() {
		assertThat(this.store.join(node("a"), 1, LONG).rescued()).isEmpty();
	}

	@Test
	void renewExtendsAHeldLease() throws InterruptedException {
		Duration lease = SHORT.multipliedBy(3);
		NodeLease a = this.store.join(node("a"), 2, lease).lease();
		letTimePass(SHORT.multipliedBy(2));
		assertThat(this.store.renew(a, lease, 1)).isTrue();
		letTimePass(SHORT.multipliedBy(2));
		assertThat(this.store.renew(a, lease, 2)).isTrue();
		assertThat(mine(this.store.nodes())).singleElement().satisfies((info) -> {
			assertThat(info.alive()).isTrue();
			assertThat(info.running()).isEqualTo(2);
		});
	}

	@Test
	void renewFailsOnceTheLeaseLapsedEvenIfNobodyRescuedIt() throws InterruptedException {
		NodeLease a = this.store.join(node("a"), 2, SHORT).lease();
		letTimePass(SHORT.plusMillis(200));
		assertThat(this.store.renew(a, LONG, 0)).isFalse();
		assertThat(mine(this.store.nodes())).singleElement().satisfies((info) -> assertThat(info.alive()).isFalse());
	}

	@Test
	void renewFailsOnceTheLeaseIsSuperseded() {
		NodeLease old = this.store.join(node("a"), 2, LONG).lease();
		this.store.join(node("a"), 2, LONG);
		assertThat(this.store.renew(old, LONG, 0)).isFalse();
	}

	@Test
	void renewOfAnUnknownNodeFails() {
		assertThat(this.store.renew(new NodeLease(node("ghost"), 1), LONG, 0)).isFalse();
	}

	@Test
	void leaveEndsTheLeaseAndKeepsTheNode() {
		NodeLease a = this.store.join(node("a"), 2, LONG).lease();
		this.store.leave(a);
		assertThat(this.store.renew(a, LONG, 0)).isFalse();
		assertThat(mine(this.store.nodes())).singleElement().satisfies((info) -> assertThat(info.alive()).isFalse());
	}

	@Test
	void nodesListsLiveAndDeadNodesById() throws InterruptedException {
		NodeLease b = this.store.join(node("b"), 3, LONG).lease();
		lapse(b);
		NodeLease a = this.store.join(node("a"), 5, LONG).lease();
		this.store.renew(a, LONG, 4);
		assertThat(b.epoch()).isPositive();
		List<NodeInfo> nodes = mine(this.store.nodes());
		assertThat(nodes).extracting(NodeInfo::id).containsExactly(node("a"), node("b"));
		assertThat(nodes.get(0)).satisfies((info) -> {
			assertThat(info.alive()).isTrue();
			assertThat(info.running()).isEqualTo(4);
			assertThat(info.capacity()).isEqualTo(5);
		});
		assertThat(nodes.get(1).alive()).isFalse();
	}

	// ---- enqueue and claim --------------------------------------------------------------------------------------

	@Test
	void enqueueStoresTheQueuedJobWithItsCreatedEvent() {
		Job job = enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		assertThat(stored(job.id()).state()).isEqualTo(JobState.QUEUED);
		assertThat(events(job.id())).singleElement().isInstanceOf(Event.JobCreated.class)
			.satisfies((e) -> assertThat(e.seq()).isEqualTo(1));
	}

	@Test
	void enqueueOfAJobAlreadyStoredIsRefusedAndKeepsTheStoredOne() {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		Job job = enqueue(JobRecipe.preset(preset("x"), Map.of("n", "1"), false, 0));
		Job again = queued(job.id(), node("other"), at(5), "mallory");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.store.enqueue(again, JobRecipe.preset(preset("y"), Map.of("n", "2"), true, 9)))
			.withMessageContaining(job.id().toString());
		assertThat(stored(job.id()).node()).isEqualTo(job.node());
		assertThat(events(job.id())).singleElement().isInstanceOf(Event.JobCreated.class);
		assertThat(this.store.claim(a, request(5, preset("y")))).isEmpty();
		assertThat(this.store.claim(a, request(5, preset("x")))).singleElement().satisfies((c) -> {
			assertThat(c.job().id()).isEqualTo(job.id());
			assertThat(c.recipe().parameters()).containsEntry("n", "1");
		});
	}

	@Test
	void enqueueAllQueuesEveryJobInItsOrder() {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			jobs.add(queued(newId(), node("spawner"), at(0), "alice"));
		}
		this.store.enqueueAll(jobs.stream()
			.map((job) -> new ClusterStore.Queued(job, JobRecipe.preset(preset("x"), Map.of(), false, 0)))
			.toList());
		jobs.forEach((job) -> assertThat(events(job.id())).singleElement().isInstanceOf(Event.JobCreated.class));
		assertThat(this.store.claim(a, request(10, preset("x")))).extracting((c) -> c.job().id())
			.containsExactlyElementsOf(jobs.stream().map(Job::id).toList());
	}

	@Test
	void enqueueAllOfAJobAlreadyStoredQueuesNoneOfTheOthers() {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		Job stored = enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		Job fresh = queued(newId(), node("spawner"), at(1), "alice");
		JobRecipe recipe = JobRecipe.preset(preset("y"), Map.of(), false, 0);
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.enqueueAll(
				List.of(new ClusterStore.Queued(fresh, recipe), new ClusterStore.Queued(stored, recipe))));
		assertThat(jobStore().find(fresh.id())).isEmpty();
		assertThat(events(fresh.id())).isEmpty();
		assertThat(this.store.claim(a, request(10, preset("y")))).isEmpty();
		assertThat(events(stored.id())).singleElement().isInstanceOf(Event.JobCreated.class);
	}

	@Test
	void claimTakesHigherPrioritiesFirstAndFifoWithinAPriority() {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		Job first = enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		Job second = enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		Job urgent = enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 5));
		Job third = enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		List<ClaimedJob> claimed = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			claimed.addAll(this.store.claim(a, request(1, preset("x"))));
		}
		assertThat(claimed).extracting((c) -> c.job().id())
			.containsExactly(urgent.id(), first.id(), second.id(), third.id());
	}

	@Test
	void claimReturnsTheJobOwnedByTheClaimerWithItsRecipe() {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		JobRecipe recipe = JobRecipe.preset(preset("x"), Map.of("file", "a b.txt"), true, 3);
		Job job = enqueue(recipe);
		assertThat(this.store.claim(a, request(5, preset("x")))).singleElement().satisfies((c) -> {
			assertThat(c.job().id()).isEqualTo(job.id());
			assertThat(c.job().state()).isEqualTo(JobState.QUEUED);
			assertThat(c.job().node()).isEqualTo(node("a"));
			assertThat(c.job().command()).isEqualTo(job.command());
			assertThat(c.recipe()).isEqualTo(recipe);
			assertThat(c.attempt()).isEqualTo(1);
		});
		assertThat(stored(job.id()).node()).isEqualTo(node("a"));
		assertThat(this.store.claim(a, request(5, preset("x")))).isEmpty();
	}

	@Test
	void whatAClaimTookIsFoundByItsIdWhileItsLeaseStillOwnsIt() throws InterruptedException {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		Job first = enqueue(JobRecipe.preset(preset("x"), Map.of("n", "1"), false, 0));
		Job second = enqueue(JobRecipe.preset(preset("x"), Map.of("n", "2"), true, 0));
		Job later = enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		ClaimRequest request = request(2, preset("x"));
		List<ClaimedJob> claimed = this.store.claim(a, request);
		assertThat(this.store.claim(a, request(1, preset("x")))).extracting((c) -> c.job().id())
			.containsExactly(later.id());
		assertThat(claimed).extracting((c) -> c.job().id()).containsExactly(first.id(), second.id());
		assertThat(this.store.claimed(a, request.id())).as("found by the claim's id")
			.extracting((c) -> c.job().id(), ClaimedJob::recipe, ClaimedJob::attempt, (c) -> c.job().node(),
					(c) -> c.job().command())
			.containsExactlyElementsOf(claimed.stream()
				.map((c) -> tuple(c.job().id(), c.recipe(), c.attempt(), node("a"), c.job().command()))
				.toList());
		assertThat(this.store.claimed(a, UUID.randomUUID())).as("another claim id").isEmpty();
		NodeLease b = this.store.join(node("b"), 10, LONG).lease();
		assertThat(this.store.claimed(b, request.id())).as("another node").isEmpty();
		finish(a, claimed.get(0));
		assertThat(this.store.claimed(a, request.id())).as("once one is finalized").extracting((c) -> c.job().id())
			.containsExactly(second.id());
		NodeLease rejoined = this.store.join(node("a"), 10, LONG).lease();
		assertThat(this.store.claimed(rejoined, request.id())).as("under a new epoch").isEmpty();
		assertThat(this.store.claimed(a, request.id())).as("once rescued").isEmpty();
	}

	@Test
	void claimTakesOnlyPresetsTheNodeHas() {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		enqueue(JobRecipe.preset(preset("y"), Map.of(), false, 9));
		Job x = enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		assertThat(this.store.claim(a, request(5, preset("x")))).extracting((c) -> c.job().id())
			.containsExactly(x.id());
	}

	@Test
	void aPinnedJobIsClaimedOnlyByItsNode() {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		NodeLease b = this.store.join(node("b"), 10, LONG).lease();
		Job pinned = enqueue(JobRecipe.pinned(node("a"), false, 0));
		assertThat(this.store.claim(b, request(5, preset("x")))).isEmpty();
		assertThat(this.store.claim(a, request(5))).extracting((c) -> c.job().id()).containsExactly(pinned.id());
	}

	@Test
	void claimTakesAtMostTheRequestedNumber() {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		for (int i = 0; i < 5; i++) {
			enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		}
		assertThat(this.store.claim(a, request(3, preset("x")))).hasSize(3);
		assertThat(this.store.claim(a, request(3, preset("x")))).hasSize(2);
		assertThat(this.store.claim(a, request(3, preset("x")))).isEmpty();
	}

	@Test
	void claimWithALapsedLeaseClaimsNothing() throws InterruptedException {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		Job job = enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		lapse(a);
		assertThatExceptionOfType(LeaseLostException.class)
			.isThrownBy(() -> this.store.claim(a, request(5, preset("x"))));
		NodeLease b = this.store.join(node("b"), 10, LONG).lease();
		assertThat(this.store.claim(b, request(5, preset("x")))).extracting((c) -> c.job().id())
			.containsExactly(job.id());
	}

	@Test
	void aPresetLimitHoldsAcrossNodesUntilAJobIsFinalized() {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		NodeLease b = this.store.join(node("b"), 10, LONG).lease();
		for (int i = 0; i < 3; i++) {
			enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		}
		Map<String, Integer> limits = Map.of(preset("x"), 1);
		List<ClaimedJob> first = this.store.claim(a, new ClaimRequest(10, Set.of(preset("x")), limits));
		assertThat(first).hasSize(1);
		assertThat(this.store.claim(b, new ClaimRequest(10, Set.of(preset("x")), limits))).isEmpty();
		finish(a, first.get(0));
		assertThat(this.store.claim(b, new ClaimRequest(10, Set.of(preset("x")), limits))).hasSize(1);
	}

	@Test
	void aTagLimitCountsJobsOfEveryPresetAndSkipsToJobsOutsideTheGroup() {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		String tag = tag("heavy");
		enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0), tag);
		enqueue(JobRecipe.preset(preset("y"), Map.of(), false, 0), tag);
		enqueue(JobRecipe.preset(preset("y"), Map.of(), false, 0), tag);
		Job light = enqueue(JobRecipe.preset(preset("y"), Map.of(), false, 0), tag("light"));
		ClaimRequest request = new ClaimRequest(10, Set.of(preset("x"), preset("y")), Map.of(tag, 2));
		List<ClaimedJob> claimed = this.store.claim(a, request);
		assertThat(claimed).hasSize(3);
		assertThat(claimed).extracting((c) -> c.job().id()).contains(light.id());
		assertThat(claimed).filteredOn((c) -> c.job().tags().contains(tag)).hasSize(2);
		assertThat(this.store.claim(a, request)).isEmpty();
	}

	@Test
	void limitsAreNeverExceededUnderConcurrentClaimsAndEveryJobIsClaimedOnce() throws Exception {
		String tag = tag("limited");
		int jobs = 60;
		int nodes = 6;
		Set<JobId> enqueued = new HashSet<>();
		for (int i = 0; i < jobs; i++) {
			enqueued.add(enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0), tag).id());
		}
		ClaimRequest request = new ClaimRequest(2, Set.of(preset("x")), Map.of(tag, 2));
		List<JobId> claims = new CopyOnWriteArrayList<>();
		AtomicInteger running = new AtomicInteger();
		AtomicInteger mostRunning = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(nodes);
		try {
			CyclicBarrier start = new CyclicBarrier(nodes);
			List<Future<?>> done = new ArrayList<>();
			for (int n = 0; n < nodes; n++) {
				String nodeId = node("n" + n);
				done.add(threads.submit(() -> {
					NodeLease lease = this.store.join(nodeId, 2, LONG).lease();
					start.await();
					while (claims.size() < jobs) {
						List<ClaimedJob> batch = this.store.claim(lease, request);
						if (batch.isEmpty()) {
							// as a node polls: a little later
							Thread.sleep(1);
						}
						for (ClaimedJob claimed : batch) {
							// counted after the claim committed and uncounted before the finalization does: never
							// more than the store counts, so exceeding the limit here means the store exceeded it
							mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
							claims.add(claimed.job().id());
							Thread.sleep(2);
							running.decrementAndGet();
							finish(lease, claimed);
						}
					}
					return null;
				}));
			}
			for (Future<?> future : done) {
				future.get(2, TimeUnit.MINUTES);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(mostRunning.get()).isBetween(1, 2);
		assertThat(claims).hasSize(jobs).doesNotHaveDuplicates();
		assertThat(new HashSet<>(claims)).isEqualTo(enqueued);
		for (JobId id : enqueued) {
			Job job = stored(id);
			assertThat(job.outcome()).isInstanceOf(Outcome.Succeeded.class);
			assertThat(events(id)).filteredOn(Event::isTerminal).hasSize(1);
		}
	}

	// ---- fenced write -------------------------------------------------------------------------------------------

	@Test
	void writeStoresSnapshotsAndEventsOfOwnedJobsOutputIncludedAndIgnoresStoredEvents() {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		ClaimedJob claimed = this.store.claim(a, request(1, preset("x"))).get(0);
		JobId id = claimed.job().id();
		Job running = running(claimed.job(), at(1));
		List<Event> events = List.of(new Event.JobStarted(id, 2, at(1), 4242),
				new Event.OutputAppended(id, 3, at(2), StdStream.STDOUT, "hello", false));
		assertThat(this.store.write(a, List.of(running), events)).isZero();
		assertThat(this.store.write(a, List.of(running), List.of(events.get(1),
				new Event.OutputAppended(id, 4, at(2), StdStream.STDERR, "world", false)))).isZero();
		assertThat(stored(id).state()).isEqualTo(JobState.RUNNING);
		assertThat(stored(id).pid()).isEqualTo(4242L);
		assertThat(events(id)).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L);
		assertThat(events(id).get(2)).isInstanceOfSatisfying(Event.OutputAppended.class,
				(e) -> assertThat(e.line()).isEqualTo("hello"));
	}

	@Test
	void writeWithALapsedLeaseWritesNothing() throws InterruptedException {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		ClaimedJob claimed = this.store.claim(a, request(1, preset("x"))).get(0);
		lapse(a);
		JobId id = claimed.job().id();
		assertThatExceptionOfType(LeaseLostException.class).isThrownBy(() -> this.store.write(a,
				List.of(running(claimed.job(), at(1))), List.of(new Event.JobStarted(id, 2, at(1), 4242))));
		assertThat(stored(id).state()).isEqualTo(JobState.QUEUED);
		assertThat(events(id)).hasSize(1);
	}

	@Test
	void writeWithASupersededLeaseWritesNothing() {
		NodeLease old = this.store.join(node("a"), 10, LONG).lease();
		NodeLease current = this.store.join(node("a"), 10, LONG).lease();
		Job job = enqueue(JobRecipe.pinned(node("a"), false, 0));
		assertThatExceptionOfType(LeaseLostException.class).isThrownBy(
				() -> this.store.write(old, List.of(), List.of(new Event.JobStarted(job.id(), 2, at(1), 1))));
		assertThat(current.epoch()).isGreaterThan(old.epoch());
		assertThat(events(job.id())).hasSize(1);
	}

	@Test
	void writeDropsRecordsOfJobsOwnedByAnotherLeaseOrNotClaimed() {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		NodeLease b = this.store.join(node("b"), 10, LONG).lease();
		enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		Job waiting = enqueue(JobRecipe.preset(preset("y"), Map.of(), false, 0));
		ClaimedJob claimed = this.store.claim(a, request(1, preset("x"))).get(0);
		JobId id = claimed.job().id();
		int dropped = this.store.write(b, List.of(running(claimed.job(), at(1)), running(waiting, at(1))),
				List.of(new Event.JobStarted(id, 2, at(1), 1), new Event.JobStarted(waiting.id(), 2, at(1), 1)));
		assertThat(dropped).isEqualTo(4);
		assertThat(stored(id).state()).isEqualTo(JobState.QUEUED);
		assertThat(stored(waiting.id()).state()).isEqualTo(JobState.QUEUED);
		assertThat(events(id)).hasSize(1);
		assertThat(events(waiting.id())).hasSize(1);
	}

	@Test
	void writeInsertsAJobTheTableNeverSaw() {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		Job job = queued(newId(), node("a"), at(0), null);
		Job failed = finalized(job, new Outcome.Failed(new FailureReason.SpawnFailed("no such file")), at(1));
		assertThat(this.store.write(a, List.of(failed), List.of(new Event.JobCreated(job.id(), 1, at(0), job.command()),
				new Event.Finalized(job.id(), 2, at(1), failed.outcome())))).isZero();
		assertThat(stored(job.id()).outcome()).isEqualTo(failed.outcome());
		assertThat(events(job.id())).hasSize(2);
	}

	@Test
	void aLateWriteOfARescuedNodeIsRejected() throws InterruptedException {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		ClaimedJob claimed = this.store.claim(a, request(1, preset("x"))).get(0);
		start(a, claimed);
		lapse(a);
		NodeLease b = this.store.join(node("b"), 10, LONG).lease();
		assertThat(this.store.rescue(b)).hasSize(1);
		JobId id = claimed.job().id();
		Job late = finalized(running(claimed.job(), at(1)), succeeded(), at(2));
		assertThatExceptionOfType(LeaseLostException.class).isThrownBy(
				() -> this.store.write(a, List.of(late), List.of(new Event.Finalized(id, 3, at(2), succeeded()))));
		NodeLease again = this.store.join(node("a"), 10, LONG).lease();
		assertThat(this.store.write(again, List.of(late), List.of(new Event.Finalized(id, 4, at(2), succeeded()))))
			.isEqualTo(2);
		assertFailedHostExited(id);
	}

	// ---- rescue ----------------------------------------------------------------------------------------------------

	@Test
	void rescueFinalizesTheJobsOfALapsedNodeAndBumpsItsEpoch() throws InterruptedException {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		Job started = enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		Job notStarted = enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		List<ClaimedJob> claimed = this.store.claim(a, request(2, preset("x")));
		start(a, claimed.get(0));
		lapse(a);
		NodeLease b = this.store.join(node("b"), 10, LONG).lease();
		List<ClusterStore.Rescued> rescued = this.store.rescue(b);
		assertThat(rescued).extracting((r) -> r.job().id()).containsExactlyInAnyOrder(started.id(), notStarted.id());
		assertThat(rescued).noneMatch(ClusterStore.Rescued::requeued);
		assertThat(rescued).filteredOn((r) -> r.job().id().equals(started.id()))
			.singleElement()
			.satisfies((r) -> assertThat(r.job().state()).isEqualTo(JobState.RUNNING));
		assertFailedHostExited(started.id());
		assertFailedHostExited(notStarted.id());
		assertThat(events(started.id())).extracting(Event::seq).containsExactly(1L, 2L, 3L);
		assertThat(mine(this.store.nodes())).filteredOn((n) -> n.id().equals(node("a")))
			.singleElement()
			.satisfies((n) -> assertThat(n.epoch()).isGreaterThan(a.epoch()));
		assertThat(this.store.rescue(b)).isEmpty();
	}

	@Test
	void rescueLeavesTheJobsOfLiveNodesAlone() {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		NodeLease b = this.store.join(node("b"), 10, LONG).lease();
		Job job = enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		start(a, this.store.claim(a, request(1, preset("x"))).get(0));
		assertThat(this.store.rescue(b)).isEmpty();
		assertThat(stored(job.id()).state()).isEqualTo(JobState.RUNNING);
	}

	@Test
	void rescueRequeuesARestartableJobOnceAndNeverTwice() throws InterruptedException {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		Job job = enqueue(JobRecipe.preset(preset("x"), Map.of(), true, 0));
		start(a, this.store.claim(a, request(1, preset("x"))).get(0));
		lapse(a);
		NodeLease b = this.store.join(node("b"), 10, LONG).lease();
		assertThat(this.store.rescue(b)).singleElement().satisfies((r) -> assertThat(r.requeued()).isTrue());
		Job requeued = stored(job.id());
		assertThat(requeued.state()).isEqualTo(JobState.QUEUED);
		assertThat(requeued.pid()).isNull();
		ClaimedJob second = this.store.claim(b, request(1, preset("x"))).get(0);
		assertThat(second.attempt()).isEqualTo(2);
		start(b, second);
		lapse(b);
		NodeLease c = this.store.join(node("c"), 10, LONG).lease();
		assertThat(this.store.rescue(c)).singleElement().satisfies((r) -> assertThat(r.requeued()).isFalse());
		assertFailedHostExited(job.id());
		assertThat(this.store.claim(c, request(1, preset("x")))).isEmpty();
	}

	@Test
	void aRestartableJobWhoseCancelWasRequestedIsNotRequeued() throws InterruptedException {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		Job job = enqueue(JobRecipe.preset(preset("x"), Map.of(), true, 0));
		start(a, this.store.claim(a, request(1, preset("x"))).get(0));
		assertThat(this.store.requestCancel(job.id())).isTrue();
		lapse(a);
		NodeLease b = this.store.join(node("b"), 10, LONG).lease();
		assertThat(this.store.rescue(b)).singleElement().satisfies((r) -> assertThat(r.requeued()).isFalse());
		assertThat(stored(job.id()).isFinalized()).isTrue();
	}

	@Test
	void twoRescuersAtOnceRescueEachJobOnce() throws Exception {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		List<JobId> ids = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			ids.add(enqueue(JobRecipe.preset(preset("x"), Map.of(), i % 2 == 0, 0)).id());
		}
		for (ClaimedJob claimed : this.store.claim(a, request(6, preset("x")))) {
			start(a, claimed);
		}
		lapse(a);
		NodeLease b = this.store.join(node("b"), 10, LONG).lease();
		NodeLease c = this.store.join(node("c"), 10, LONG).lease();
		CyclicBarrier together = new CyclicBarrier(2);
		ExecutorService threads = Executors.newFixedThreadPool(2);
		List<ClusterStore.Rescued> rescued = Collections.synchronizedList(new ArrayList<>());
		try {
			List<Future<?>> done = new ArrayList<>();
			for (NodeLease rescuer : List.of(b, c)) {
				done.add(threads.submit(() -> {
					together.await();
					rescued.addAll(this.store.rescue(rescuer));
					return null;
				}));
			}
			for (Future<?> future : done) {
				future.get(1, TimeUnit.MINUTES);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(rescued).extracting((r) -> r.job().id()).containsExactlyInAnyOrderElementsOf(ids);
		assertThat(rescued).filteredOn(ClusterStore.Rescued::requeued).hasSize(3);
		for (JobId id : ids) {
			assertThat(events(id)).extracting(Event::seq).doesNotHaveDuplicates();
			assertThat(events(id)).filteredOn(Event::isTerminal).hasSizeLessThanOrEqualTo(1);
		}
		assertThat(this.store.claim(b, request(10, preset("x")))).hasSize(3)
			.allSatisfy((claimed) -> assertThat(claimed.attempt()).isEqualTo(2));
	}

	@Test
	void aRescuerWithoutALeaseRescuesNothing() throws InterruptedException {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		Job job = enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		start(a, this.store.claim(a, request(1, preset("x"))).get(0));
		NodeLease b = this.store.join(node("b"), 10, LONG).lease();
		lapse(a, b);
		assertThatExceptionOfType(LeaseLostException.class).isThrownBy(() -> this.store.rescue(b));
		assertThat(stored(job.id()).state()).isEqualTo(JobState.RUNNING);
	}

	// ---- cancel -----------------------------------------------------------------------------------------------------

	@Test
	void cancelOfAQueuedJobFinalizesItAtOnce() {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		Job job = enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		assertThat(this.store.requestCancel(job.id())).isTrue();
		Job cancelled = stored(job.id());
		assertThat(cancelled.state()).isEqualTo(JobState.FINALIZED);
		assertThat(cancelled.outcome()).isInstanceOf(Outcome.Cancelled.class);
		assertThat(cancelled.finishedAt()).isNotNull();
		assertThat(events(job.id())).extracting(Event::seq).containsExactly(1L, 2L);
		assertThat(events(job.id()).get(1)).isInstanceOf(Event.Finalized.class);
		assertThat(this.store.claim(a, request(5, preset("x")))).isEmpty();
		assertThat(this.store.requestCancel(job.id())).isFalse();
	}

	@Test
	void cancelOfAClaimedJobIsListedForItsOwnerOnlyUntilFinalized() {
		NodeLease a = this.store.join(node("a"), 10, LONG).lease();
		NodeLease b = this.store.join(node("b"), 10, LONG).lease();
		Job job = enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
		ClaimedJob claimed = this.store.claim(a, request(1, preset("x"))).get(0);
		start(a, claimed);
		assertThat(this.store.cancelRequests(a)).isEmpty();
		assertThat(this.store.requestCancel(job.id())).isTrue();
		assertThat(stored(job.id()).state()).isEqualTo(JobState.RUNNING);
		assertThat(this.store.cancelRequests(a)).containsExactly(job.id());
		assertThat(this.store.cancelRequests(b)).isEmpty();
		finish(a, claimed);
		assertThat(this.store.cancelRequests(a)).isEmpty();
		assertThat(this.store.requestCancel(job.id())).isFalse();
	}

	@Test
	void cancelOfAnUnknownJobIsRefused() {
		assertThat(this.store.requestCancel(newId())).isFalse();
	}

	// ---- signals ----------------------------------------------------------------------------------------------------

	@Test
	void signalsTellOfQueuedJobsCancelRequestsAndWrittenEvents() throws Exception {
		assertThat(this.store.signals()).as("signals").matches((s) -> s.isPresent() == hasSignals());
		if (!hasSignals()) {
			return;
		}
		List<String> heard = new CopyOnWriteArrayList<>();
		Set<String> ids = ConcurrentHashMap.newKeySet();
		try (AutoCloseable listening = this.store.signals().get().listen(new ClusterSignals.Listener() {

			@Override
			public void jobQueued() {
				heard.add("queued");
			}

			@Override
			public void cancelRequested(JobId id) {
				heard.add("cancel " + id);
			}

			@Override
			public void eventsWritten(JobId id) {
				heard.add("events " + id);
			}

		})) {
			awaitListening();
			NodeLease a = this.store.join(node("a"), 10, LONG).lease();
			Job job = enqueue(JobRecipe.preset(preset("x"), Map.of(), false, 0));
			ids.add(job.id().toString());
			await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("queued"));
			ClaimedJob claimed = this.store.claim(a, request(1, preset("x"))).get(0);
			start(a, claimed);
			await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("events " + job.id()));
			this.store.requestCancel(job.id());
			await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("cancel " + job.id()));
		}
		assertThat(ids).hasSize(1);
	}

	/**
	 * Waits until a listener just registered receives signals (a database listener subscribes on another thread).
	 * @throws InterruptedException if interrupted
	 */
	protected void awaitListening() throws InterruptedException {
	}

	// ---- helpers ----------------------------------------------------------------------------------------------------

	/**
	 * A name unique to this test.
	 * @param base the readable part
	 * @return the node id
	 */
	protected final String node(String base) {
		return "node-" + base + "-" + this.run;
	}

	private String preset(String base) {
		return "preset-" + base + "-" + this.run;
	}

	private String tag(String base) {
		return "tag-" + base + "-" + this.run;
	}

	private ClaimRequest request(int max, String... presets) {
		return new ClaimRequest(max, Set.of(presets), Map.of());
	}

	private Job enqueue(JobRecipe recipe, String... tags) {
		String spawner = (recipe.pinnedNode() != null) ? recipe.pinnedNode() : node("spawner");
		Job job = queued(newId(), spawner, at(0), "alice", tags);
		this.store.enqueue(job, recipe);
		return job;
	}

	private void start(NodeLease lease, ClaimedJob claimed) {
		JobId id = claimed.job().id();
		assertThat(this.store.write(lease, List.of(running(claimed.job(), at(1))),
				List.of(new Event.JobStarted(id, lastSeq(id) + 1, at(1), 4242))))
			.isZero();
	}

	private void finish(NodeLease lease, ClaimedJob claimed) {
		JobId id = claimed.job().id();
		Job done = finalized(running(claimed.job(), at(1)), succeeded(), at(2));
		assertThat(this.store.write(lease, List.of(done),
				List.of(new Event.Finalized(id, lastSeq(id) + 1, at(2), done.outcome()))))
			.isZero();
	}

	private long lastSeq(JobId id) {
		List<Event> events = events(id);
		return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
	}

	private Job stored(JobId id) {
		return jobStore().find(id).orElseThrow(() -> new AssertionError("Job " + id + " is not stored"));
	}

	private List<Event> events(JobId id) {
		return jobStore().events(id, 0, 10_000);
	}

	private void assertFailedHostExited(JobId id) {
		Job job = stored(id);
		assertThat(job.state()).isEqualTo(JobState.FINALIZED);
		assertThat(job.finishedAt()).isNotNull();
		assertThat(job.outcome()).isInstanceOfSatisfying(Outcome.Failed.class,
				(failed) -> assertThat(failed.reason()).isInstanceOf(FailureReason.HostExited.class));
		List<Event> events = events(id);
		assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(Event.Finalized.class,
				(finalized) -> assertThat(finalized.outcome()).isEqualTo(job.outcome()));
		assertThat(events).filteredOn(Event::isTerminal).hasSize(1);
	}

	/** Lapses leases at once (a renewal of a millisecond), rather than waiting out a lease set up work may outlast. */
	private void lapse(NodeLease... leases) throws InterruptedException {
		for (NodeLease lease : leases) {
			assertThat(this.store.renew(lease, Duration.ofMillis(1), 0)).as("renewal of %s", lease).isTrue();
		}
		letTimePass(LAPSE_MARGIN);
	}

	private List<NodeInfo> mine(List<NodeInfo> nodes) {
		return nodes.stream().filter((info) -> info.id().endsWith(this.run)).toList();
	}

}
