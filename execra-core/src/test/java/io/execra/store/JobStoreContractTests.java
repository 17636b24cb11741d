package io.execra.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.execra.Event;
import io.execra.FailureReason;
import io.execra.Job;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.Progress;
import io.execra.Severity;
import io.execra.StdStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.execra.store.JobStoreFixtures.at;
import static io.execra.store.JobStoreFixtures.done;
import static io.execra.store.JobStoreFixtures.exited;
import static io.execra.store.JobStoreFixtures.failed;
import static io.execra.store.JobStoreFixtures.finalized;
import static io.execra.store.JobStoreFixtures.finding;
import static io.execra.store.JobStoreFixtures.history;
import static io.execra.store.JobStoreFixtures.newId;
import static io.execra.store.JobStoreFixtures.queued;
import static io.execra.store.JobStoreFixtures.running;
import static io.execra.store.JobStoreFixtures.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link JobStore} implements, as documented on the SPI. A store's test extends this class and
 * provides a fresh, empty store per test.
 */
public abstract class JobStoreContractTests {

	private JobStore store;

	/**
	 * Creates an empty store for one test.
	 * @return the store
	 */
	protected abstract JobStore createStore();

	/**
	 * Releases what {@link #createStore()} made (e.g. deletes rows). Called after each test.
	 * @param store the store of the test
	 * @throws Exception on failure
	 */
	protected void cleanUp(JobStore store) throws Exception {
	}

	/**
	 * Whether the store under test can be unreachable, as a database can: such a store implements
	 * {@link JobStore#ping()} and declares it ({@link JobStore#supportsPing()}), so that the runtime can tell an
	 * outage from a record the store refuses.
	 * @return {@code true} unless the store lives in this process only
	 */
	protected boolean canBeUnreachable() {
		return true;
	}

	@BeforeEach
	void createStoreForTest() {
		this.store = createStore();
	}

	@AfterEach
	void cleanUpStore() throws Exception {
		cleanUp(this.store);
	}

	// ---- upsert and find --------------------------------------------------------------------------------------

	@Test
	void upsertInsertsANewJob() {
		Job job = queued(newId(), "node-a", at(0), "alice", "media", "nightly");
		this.store.upsert(List.of(job));
		assertThat(this.store.find(job.id())).contains(job);
	}

	@Test
	void findOfAnUnknownJobIsEmpty() {
		assertThat(this.store.find(newId())).isEmpty();
	}

	@Test
	void upsertUpdatesEveryMutableField() {
		Job job = queued(newId(), "node-a", at(0), "alice", "media");
		this.store.upsert(List.of(job));
		Job started = running(job, at(1));
		this.store.upsert(List.of(started));
		assertThat(this.store.find(job.id())).contains(started);
		Job done = finalized(started, new Outcome.Failed(new FailureReason.KnownError("auth", "denied"), "summary",
				List.of(finding(Severity.ERROR, "auth", at(2)))), at(3));
		this.store.upsert(List.of(done));
		assertThat(this.store.find(job.id())).contains(done);
	}

	@Test
	void upsertWritesCommandAndTagsOnce() {
		Job job = queued(newId(), "node-a", at(0), "alice", "media");
		this.store.upsert(List.of(job));
		Job changed = new Job(job.id(), JobStoreFixtures.command("rsync", "bob", Set.of("other")), JobState.RUNNING,
				"new label", Set.of("other"), Progress.indeterminate("busy"), null, at(0), at(1), null, 7L, null, null,
				null, "node-b");
		this.store.upsert(List.of(changed));
		Job stored = this.store.find(job.id()).orElseThrow();
		assertThat(stored.command()).isEqualTo(job.command());
		assertThat(stored.tags()).containsExactly("media");
		assertThat(stored.state()).isEqualTo(JobState.RUNNING);
		assertThat(stored.label()).isEqualTo("new label");
		assertThat(stored.progress()).isEqualTo(Progress.indeterminate("busy"));
		assertThat(stored.node()).isEqualTo("node-b");
	}

	@Test
	void upsertOfSeveralJobsMixesInsertsAndUpdates() {
		Job first = queued(newId(), "node-a", at(0), null);
		this.store.upsert(List.of(first));
		Job second = queued(newId(), "node-a", at(1), null);
		Job firstRunning = running(first, at(2));
		this.store.upsert(List.of(firstRunning, second));
		assertThat(this.store.find(first.id())).contains(firstRunning);
		assertThat(this.store.find(second.id())).contains(second);
	}

	// ---- append and events ------------------------------------------------------------------------------------

	@Test
	void appendStoresEveryKindButOutputInOrder() {
		JobId id = storedJob();
		List<Event> history = history(id);
		List<Event> withOutput = new ArrayList<>(history);
		withOutput.add(2, new Event.OutputAppended(id, 100, at(1), StdStream.STDOUT, "a line", false));
		this.store.append(withOutput);
		assertThat(this.store.events(id, 0, 1000)).containsExactlyElementsOf(history);
	}

	@Test
	void appendNeverStoresOutputLines() {
		JobId id = storedJob();
		this.store.append(List.of(new Event.OutputAppended(id, 1, at(1), StdStream.STDERR, "secret", false)));
		assertThat(this.store.events(id, 0, 100)).isEmpty();
	}

	@Test
	void appendNeverStoresLagSignals() {
		JobId id = storedJob();
		this.store.append(List.of(new Event.Lagged(id, 1, at(1), 3)));
		assertThat(this.store.events(id, 0, 100)).isEmpty();
	}

	@Test
	void appendIgnoresEventsAlreadyStoredSoRetriesNeverDuplicate() {
		JobId id = storedJob();
		List<Event> history = history(id);
		this.store.append(history.subList(0, 5));
		this.store.append(history.subList(3, 10));
		this.store.append(history);
		this.store.append(List.of(new Event.LabelUpdated(id, 6, at(9), "a second label with the same seq")));
		assertThat(this.store.events(id, 0, 1000)).containsExactlyElementsOf(history);
	}

	@Test
	void appendOfManyJobsIgnoresWhatEachStoredAlreadyWithinItsOwnSeqs() {
		JobId ahead = storedJob();
		JobId behind = storedJob();
		List<Event> aheadHistory = history(ahead);
		List<Event> behindHistory = history(behind);
		this.store.append(aheadHistory.subList(0, 8));
		this.store.append(behindHistory.subList(0, 2));
		List<Event> retried = new ArrayList<>(aheadHistory.subList(6, 10));
		retried.addAll(behindHistory.subList(1, 10));
		this.store.append(retried);
		assertThat(this.store.events(ahead, 0, 1000)).containsExactlyElementsOf(aheadHistory.subList(0, 10));
		assertThat(this.store.events(behind, 0, 1000)).containsExactlyElementsOf(behindHistory.subList(0, 10));
	}

	@Test
	void appendIgnoresDuplicatesWithinOneBatch() {
		JobId id = storedJob();
		Event created = history(id).get(0);
		this.store.append(List.of(created, created));
		assertThat(this.store.events(id, 0, 100)).containsExactly(created);
	}

	@Test
	void appendIgnoresEventsOfJobsNotStored() {
		JobId id = newId();
		this.store.append(history(id));
		assertThat(this.store.events(id, 0, 100)).isEmpty();
		assertThat(this.store.findings(new FindingQuery(id, Set.of(), null, 10))).isEmpty();
	}

	@Test
	void writeStoresNewJobsWithTheirEventsAndUpdatesKnownOnes() {
		JobId known = storedJob();
		Job fresh = queued(newId(), "node-a", at(1), null);
		List<Event> knownHistory = history(known);
		List<Event> freshHistory = history(fresh.id());
		List<Event> events = new ArrayList<>(freshHistory);
		events.addAll(knownHistory);
		Job knownRunning = running(this.store.find(known).orElseThrow(), at(2));
		this.store.write(List.of(fresh, knownRunning), events);
		assertThat(this.store.find(fresh.id())).contains(fresh);
		assertThat(this.store.find(known)).contains(knownRunning);
		assertThat(this.store.events(fresh.id(), 0, 1000)).containsExactlyElementsOf(freshHistory);
		assertThat(this.store.events(known, 0, 1000)).containsExactlyElementsOf(knownHistory);
	}

	@Test
	void writeRetriedWholeDuplicatesNothing() {
		Job job = queued(newId(), "node-a", at(1), null);
		List<Event> history = history(job.id());
		this.store.write(List.of(job), history.subList(0, 4));
		this.store.write(List.of(job), history);
		this.store.write(List.of(job), history);
		assertThat(this.store.events(job.id(), 0, 1000)).containsExactlyElementsOf(history);
	}

	@Test
	void writeIgnoresDuplicatesWithinOneBatchOfANewJob() {
		Job job = queued(newId(), "node-a", at(1), null);
		Event created = history(job.id()).get(0);
		this.store.write(List.of(job), List.of(created, created));
		assertThat(this.store.events(job.id(), 0, 100)).containsExactly(created);
	}

	@Test
	void writeIgnoresEventsOfJobsNeitherStoredNorWritten() {
		JobId stranger = newId();
		Job job = queued(newId(), "node-a", at(1), null);
		List<Event> events = new ArrayList<>(history(stranger));
		this.store.write(List.of(job), events);
		assertThat(this.store.events(stranger, 0, 100)).isEmpty();
		assertThat(this.store.find(job.id())).contains(job);
	}

	@Test
	void eventsReturnsThoseAfterSeqInOrderUpToTheLimit() {
		JobId id = storedJob();
		List<Event> history = history(id);
		this.store.append(history);
		assertThat(this.store.events(id, 4, 3)).containsExactlyElementsOf(history.subList(4, 7));
		assertThat(this.store.events(id, 14, 10)).containsExactly(history.get(14));
		assertThat(this.store.events(id, 15, 10)).isEmpty();
	}

	@Test
	void eventsOfAnUnknownJobIsEmpty() {
		assertThat(this.store.events(newId(), 0, 10)).isEmpty();
	}

	// ---- findings ---------------------------------------------------------------------------------------------

	@Test
	void findingsAreCollectedFromFindingEventsAcrossJobsNewestFirst() {
		JobId first = storedJob();
		JobId second = storedJob();
		this.store.append(List.of(findingEvent(first, 1, Severity.WARNING, "outdated", 10),
				findingEvent(first, 2, Severity.ERROR, "vulnerable", 11),
				new Event.LabelUpdated(first, 3, at(12), "not a finding")));
		this.store.append(List.of(findingEvent(second, 1, Severity.INFO, "note", 12),
				findingEvent(second, 2, Severity.WARNING, "outdated", 13)));
		List<StoredFinding> all = this.store.findings(new FindingQuery(null, Set.of(), null, 10));
		assertThat(all).extracting((f) -> f.finding().code())
			.containsExactly("outdated", "note", "vulnerable", "outdated");
		assertThat(all.get(0).jobId()).isEqualTo(second);
		assertThat(all.get(0).seq()).isEqualTo(2);
		assertThat(all.get(0).finding()).isEqualTo(finding(Severity.WARNING, "outdated", at(13)));
	}

	@Test
	void findingsFilterBySeverity() {
		JobId id = storedJob();
		this.store.append(List.of(findingEvent(id, 1, Severity.WARNING, "a", 1),
				findingEvent(id, 2, Severity.ERROR, "b", 2), findingEvent(id, 3, Severity.INFO, "c", 3)));
		assertThat(this.store.findings(new FindingQuery(null, Set.of(Severity.ERROR, Severity.WARNING), null, 10)))
			.extracting((f) -> f.finding().code())
			.containsExactly("b", "a");
	}

	@Test
	void findingsFilterByCodeAndJob() {
		JobId first = storedJob();
		JobId second = storedJob();
		this.store.append(List.of(findingEvent(first, 1, Severity.WARNING, "outdated", 1),
				findingEvent(first, 2, Severity.WARNING, "other", 2)));
		this.store.append(List.of(findingEvent(second, 1, Severity.WARNING, "outdated", 3)));
		assertThat(this.store.findings(new FindingQuery(null, Set.of(), "outdated", 10)))
			.extracting(StoredFinding::jobId)
			.containsExactly(second, first);
		assertThat(this.store.findings(new FindingQuery(first, Set.of(), "outdated", 10)))
			.extracting(StoredFinding::jobId)
			.containsExactly(first);
	}

	@Test
	void findingsHonourTheLimit() {
		JobId id = storedJob();
		this.store.append(List.of(findingEvent(id, 1, Severity.INFO, "a", 1),
				findingEvent(id, 2, Severity.INFO, "b", 2), findingEvent(id, 3, Severity.INFO, "c", 3)));
		assertThat(this.store.findings(new FindingQuery(null, Set.of(), null, 2))).extracting((f) -> f.finding().code())
			.containsExactly("c", "b");
	}

	// ---- query and count ----------------------------------------------------------------------------------------

	@Test
	void queryListsNewestFirst() {
		Job old = queued(newId(), "n", at(0), null);
		Job mid = queued(newId(), "n", at(10), null);
		Job recent = queued(newId(), "n", at(20), null);
		this.store.upsert(List.of(mid, recent, old));
		assertThat(this.store.query(JobCriteria.all())).containsExactly(recent, mid, old);
	}

	@Test
	void queryMatchesATagExactly() {
		Job underscore = queued(newId(), "n", at(0), null, "a_b");
		Job other = queued(newId(), "n", at(1), null, "axb");
		Job upper = queued(newId(), "n", at(2), null, "A_B");
		Job longer = queued(newId(), "n", at(3), null, "a_bc", "xa_b");
		this.store.upsert(List.of(underscore, other, upper, longer));
		assertThat(ids(query("a_b", Set.of(), null, null, null))).containsExactly(underscore.id());
	}

	@Test
	void queryReturnsEachJobWithAllItsTags() {
		Job twoTags = queued(newId(), "n", at(0), null, "media", "nightly");
		Job threeTags = queued(newId(), "n", at(1), null, "docs", "nightly", "urgent");
		Job oneTag = queued(newId(), "n", at(2), null, "nightly");
		Job untagged = queued(newId(), "n", at(3), null);
		this.store.upsert(List.of(twoTags, threeTags, oneTag, untagged));
		assertThat(this.store.query(JobCriteria.all())).containsExactly(untagged, oneTag, threeTags, twoTags);
		assertThat(query("nightly", Set.of(), null, null, null)).containsExactly(oneTag, threeTags, twoTags);
	}

	@Test
	void queryTreatsPercentInATagLiterally() {
		Job percent = queued(newId(), "n", at(0), null, "100%");
		Job other = queued(newId(), "n", at(1), null, "100 percent");
		this.store.upsert(List.of(percent, other));
		assertThat(ids(query("100%", Set.of(), null, null, null))).containsExactly(percent.id());
		assertThat(ids(query("%", Set.of(), null, null, null))).isEmpty();
	}

	@Test
	void queryFiltersByStates() {
		Job queued = queued(newId(), "n", at(0), null);
		Job running = running(queued(newId(), "n", at(1), null), at(2));
		Job done = done("n", 2, 3, succeeded());
		this.store.upsert(List.of(queued, running, done));
		assertThat(ids(query(null, Set.of(JobState.QUEUED, JobState.FINALIZED), null, null, null)))
			.containsExactly(done.id(), queued.id());
	}

	@Test
	void queryFiltersByOwner() {
		Job alice = queued(newId(), "n", at(0), "alice");
		Job bob = queued(newId(), "n", at(1), "bob");
		Job nobody = queued(newId(), "n", at(2), null);
		this.store.upsert(List.of(alice, bob, nobody));
		assertThat(ids(query(null, Set.of(), "alice", null, null))).containsExactly(alice.id());
	}

	@Test
	void queryCreatedRangeIsInclusive() {
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			jobs.add(queued(newId(), "n", at(i * 10), null));
		}
		this.store.upsert(jobs);
		assertThat(ids(query(null, Set.of(), null, at(10), at(30)))).containsExactly(jobs.get(3).id(),
				jobs.get(2).id(), jobs.get(1).id());
	}

	@Test
	void queryCombinesCriteriaWithAnd() {
		Job match = queued(newId(), "n", at(5), "alice", "media");
		Job wrongOwner = queued(newId(), "n", at(5), "bob", "media");
		Job wrongTag = queued(newId(), "n", at(5), "alice", "docs");
		Job tooEarly = queued(newId(), "n", at(0), "alice", "media");
		this.store.upsert(List.of(match, wrongOwner, wrongTag, tooEarly));
		assertThat(ids(query("media", Set.of(JobState.QUEUED), "alice", at(1), null))).containsExactly(match.id());
	}

	@Test
	void queryPagesWithOffsetAndLimit() {
		List<JobId> newestFirst = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			Job job = queued(newId(), "n", at(i), null);
			this.store.upsert(List.of(job));
			newestFirst.add(0, job.id());
		}
		assertThat(ids(this.store.query(new JobCriteria(null, Set.of(), null, null, null, 0, 3))))
			.containsExactlyElementsOf(newestFirst.subList(0, 3));
		assertThat(ids(this.store.query(new JobCriteria(null, Set.of(), null, null, null, 2, 3))))
			.containsExactlyElementsOf(newestFirst.subList(2, 5));
		assertThat(ids(this.store.query(new JobCriteria(null, Set.of(), null, null, null, 6, 3))))
			.containsExactly(newestFirst.get(6));
		assertThat(this.store.query(new JobCriteria(null, Set.of(), null, null, null, 7, 3))).isEmpty();
	}

	@Test
	void countIgnoresOffsetAndLimit() {
		for (int i = 0; i < 5; i++) {
			this.store.upsert(List.of(queued(newId(), "n", at(i), null, (i % 2 == 0) ? "even" : "odd")));
		}
		assertThat(this.store.count(new JobCriteria("even", Set.of(), null, null, null, 1, 1))).isEqualTo(3);
		assertThat(this.store.count(JobCriteria.all())).isEqualTo(5);
	}

	// ---- prune ------------------------------------------------------------------------------------------------

	@Test
	void pruneDeletesSucceededAndCancelledJobsFinishedBeforeTheCutoff() {
		Job oldSuccess = done("n", 0, 10, succeeded());
		Job oldCancel = done("n", 0, 11, new Outcome.Cancelled(List.of()));
		Job oldFailure = done("n", 0, 12, failed());
		Job recent = done("n", 0, 100, succeeded());
		this.store.upsert(List.of(oldSuccess, oldCancel, oldFailure, recent));
		List<JobId> deleted = this.store.prune(new PruneCriteria(at(50), null, 0, null), 100);
		assertThat(deleted).containsExactlyInAnyOrder(oldSuccess.id(), oldCancel.id());
		assertThat(ids(this.store.query(JobCriteria.all()))).containsExactlyInAnyOrder(oldFailure.id(), recent.id());
	}

	@Test
	void pruneDeletesFailedJobsByTheirOwnCutoff() {
		Job oldSuccess = done("n", 0, 10, succeeded());
		Job oldFailure = done("n", 0, 12, failed());
		Job newerFailure = done("n", 0, 60, failed());
		this.store.upsert(List.of(oldSuccess, oldFailure, newerFailure));
		assertThat(this.store.prune(new PruneCriteria(null, at(50), 0, null), 100)).containsExactly(oldFailure.id());
		assertThat(this.store.find(oldSuccess.id())).isPresent();
		assertThat(this.store.find(newerFailure.id())).isPresent();
	}

	@Test
	void pruneKeepsAtMostMaxJobsDeletingTheOldestFinishedFirst() {
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			jobs.add(done("n", 0, 10 + i, (i % 2 == 0) ? succeeded() : failed()));
		}
		this.store.upsert(jobs);
		assertThat(this.store.prune(new PruneCriteria(null, null, 2, null), 100))
			.containsExactlyInAnyOrder(jobs.get(0).id(), jobs.get(1).id(), jobs.get(2).id());
		assertThat(ids(this.store.query(JobCriteria.all()))).containsExactlyInAnyOrder(jobs.get(3).id(),
				jobs.get(4).id());
	}

	@Test
	void pruneNeverDeletesJobsWithTheKeepTag() {
		Job pinned = done("n", 0, 10, succeeded(), "pinned");
		Job pinnedFailure = done("n", 0, 11, failed(), "pinned", "other");
		Job plain = done("n", 0, 12, succeeded(), "pinnedx");
		this.store.upsert(List.of(pinned, pinnedFailure, plain));
		assertThat(this.store.prune(new PruneCriteria(at(50), at(50), 1, "pinned"), 100)).containsExactly(plain.id());
		assertThat(this.store.find(pinned.id())).isPresent();
		assertThat(this.store.find(pinnedFailure.id())).isPresent();
	}

	@Test
	void pinnedJobsDoNotCountTowardsMaxJobs() {
		Job pinned = done("n", 0, 10, succeeded(), "keep");
		Job older = done("n", 0, 11, succeeded());
		Job newer = done("n", 0, 12, succeeded());
		this.store.upsert(List.of(pinned, older, newer));
		assertThat(this.store.prune(new PruneCriteria(null, null, 1, "keep"), 100)).containsExactly(older.id());
	}

	@Test
	void pruneNeverDeletesActiveJobs() {
		Job queued = queued(newId(), "n", at(0), null);
		Job running = running(queued(newId(), "n", at(0), null), at(1));
		Job exited = exited(running(queued(newId(), "n", at(0), null), at(1)));
		this.store.upsert(List.of(queued, running, exited));
		assertThat(this.store.prune(new PruneCriteria(at(1000), at(1000), 1, null), 100)).isEmpty();
		assertThat(this.store.count(JobCriteria.all())).isEqualTo(3);
	}

	@Test
	void pruneDeletesInBatchesOfAtMostBatchSize() {
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			jobs.add(done("n", 0, 10 + i, succeeded()));
		}
		this.store.upsert(jobs);
		PruneCriteria criteria = new PruneCriteria(at(100), null, 0, null);
		List<JobId> deleted = new ArrayList<>();
		List<Integer> sizes = new ArrayList<>();
		List<JobId> batch;
		while (!(batch = this.store.prune(criteria, 2)).isEmpty()) {
			sizes.add(batch.size());
			deleted.addAll(batch);
		}
		assertThat(sizes).containsExactly(2, 2, 1);
		assertThat(deleted).containsExactlyInAnyOrderElementsOf(ids(jobs));
		assertThat(this.store.count(JobCriteria.all())).isZero();
	}

	@Test
	void pruneDeletesTheEventsAndFindingsOfDeletedJobs() {
		Job job = done("n", 0, 10, succeeded());
		Job kept = done("n", 0, 100, succeeded());
		this.store.upsert(List.of(job, kept));
		this.store.append(history(job.id()));
		this.store.append(history(kept.id()));
		this.store.prune(new PruneCriteria(at(50), null, 0, null), 100);
		assertThat(this.store.events(job.id(), 0, 100)).isEmpty();
		assertThat(this.store.findings(new FindingQuery(null, Set.of(), null, 10))).extracting(StoredFinding::jobId)
			.containsExactly(kept.id());
		assertThat(this.store.events(kept.id(), 0, 100)).hasSize(15);
	}

	// ---- heartbeat and stranded recovery ------------------------------------------------------------------------

	@Test
	void restartedNodeFinalizesItsActiveJobsAsHostExited() {
		Job queued = queued(newId(), "node-a", at(0), null);
		Job running = running(queued(newId(), "node-a", at(0), null), at(1));
		Job exited = exited(running(queued(newId(), "node-a", at(0), null), at(1)));
		this.store.upsert(List.of(queued, running, exited));
		this.store.append(history(running.id()).subList(0, 4));
		List<Job> recovered = this.store.recoverStranded("node-a", true, null, at(60));
		assertThat(ids(recovered)).containsExactlyInAnyOrder(queued.id(), running.id(), exited.id());
		for (Job job : recovered) {
			assertThat(job.state()).isEqualTo(JobState.FINALIZED);
			assertThat(job.finishedAt()).isEqualTo(at(60));
			assertThat(job.outcome()).isInstanceOfSatisfying(Outcome.Failed.class,
					(failed) -> assertThat(failed.reason()).isInstanceOf(FailureReason.HostExited.class));
			assertThat(this.store.find(job.id())).contains(job);
		}
	}

	@Test
	void recoveredJobsKeepAllTheirTags() {
		Job twoTags = running(queued(newId(), "node-a", at(0), null, "media", "nightly"), at(1));
		Job oneTag = queued(newId(), "node-a", at(0), null, "docs");
		this.store.upsert(List.of(twoTags, oneTag));
		List<Job> recovered = this.store.recoverStranded("node-a", true, null, at(60));
		assertThat(recovered).extracting(Job::tags).containsExactlyInAnyOrder(twoTags.tags(), oneTag.tags());
		for (Job job : recovered) {
			assertThat(this.store.find(job.id())).contains(job);
		}
	}

	@Test
	void recoveredJobsGetAFinalizedEventAfterTheirLastEvent() {
		Job running = running(queued(newId(), "node-a", at(0), null), at(1));
		Job queued = queued(newId(), "node-a", at(0), null);
		this.store.upsert(List.of(running, queued));
		this.store.append(history(running.id()).subList(0, 4));
		this.store.recoverStranded("node-a", true, null, at(60));
		List<Event> events = this.store.events(running.id(), 0, 100);
		assertThat(events).hasSize(5);
		assertThat(events.get(4)).isInstanceOfSatisfying(Event.Finalized.class, (finalized) -> {
			assertThat(finalized.seq()).isEqualTo(5);
			assertThat(finalized.at()).isEqualTo(at(60));
			assertThat(finalized.outcome()).isEqualTo(this.store.find(running.id()).orElseThrow().outcome());
		});
		assertThat(this.store.events(queued.id(), 0, 100)).singleElement()
			.isInstanceOfSatisfying(Event.Finalized.class, (finalized) -> assertThat(finalized.seq()).isEqualTo(1));
	}

	@Test
	void nodeThatDidNotRestartKeepsItsActiveJobs() {
		Job running = running(queued(newId(), "node-a", at(0), null), at(1));
		this.store.upsert(List.of(running));
		this.store.heartbeat("node-a", at(1));
		assertThat(this.store.recoverStranded("node-a", false, at(1000), at(2000))).isEmpty();
		assertThat(this.store.find(running.id())).contains(running);
	}

	@Test
	void activeJobsOfAnotherLiveNodeAreLeftAlone() {
		Job theirs = running(queued(newId(), "node-b", at(0), null), at(1));
		this.store.upsert(List.of(theirs));
		this.store.heartbeat("node-b", at(100));
		assertThat(this.store.recoverStranded("node-a", true, at(50), at(110))).isEmpty();
		assertThat(this.store.find(theirs.id())).contains(theirs);
		assertThat(this.store.events(theirs.id(), 0, 10)).isEmpty();
	}

	@Test
	void activeJobsOfASilentNodeAreRecovered() {
		Job theirs = running(queued(newId(), "node-b", at(0), null), at(1));
		this.store.upsert(List.of(theirs));
		this.store.heartbeat("node-b", at(10));
		List<Job> recovered = this.store.recoverStranded("node-a", false, at(50), at(110));
		assertThat(ids(recovered)).containsExactly(theirs.id());
		assertThat(this.store.find(theirs.id()).orElseThrow().state()).isEqualTo(JobState.FINALIZED);
	}

	@Test
	void latestHeartbeatCounts() {
		Job theirs = running(queued(newId(), "node-b", at(0), null), at(1));
		this.store.upsert(List.of(theirs));
		this.store.heartbeat("node-b", at(10));
		this.store.heartbeat("node-b", at(100));
		assertThat(this.store.recoverStranded("node-a", false, at(50), at(110))).isEmpty();
	}

	@Test
	void activeJobsOfANodeWithoutHeartbeatAreRecoveredWhenSilentBeforeIsGiven() {
		Job theirs = queued(newId(), "node-c", at(0), null);
		this.store.upsert(List.of(theirs));
		assertThat(this.store.recoverStranded("node-a", false, null, at(110))).isEmpty();
		assertThat(ids(this.store.recoverStranded("node-a", false, at(50), at(110)))).containsExactly(theirs.id());
	}

	@Test
	void finalizedJobsAreNeverRecovered() {
		Job mine = done("node-a", 0, 5, succeeded());
		Job theirs = done("node-c", 0, 5, failed());
		this.store.upsert(List.of(mine, theirs));
		assertThat(this.store.recoverStranded("node-a", true, at(50), at(110))).isEmpty();
		assertThat(this.store.find(mine.id())).contains(mine);
		assertThat(this.store.find(theirs.id())).contains(theirs);
	}

	@Test
	void recoveringTwiceDuplicatesNothing() {
		Job running = running(queued(newId(), "node-a", at(0), null), at(1));
		this.store.upsert(List.of(running));
		this.store.append(history(running.id()).subList(0, 2));
		assertThat(this.store.recoverStranded("node-a", true, at(50), at(60))).hasSize(1);
		Job afterFirst = this.store.find(running.id()).orElseThrow();
		assertThat(this.store.recoverStranded("node-a", true, at(50), at(70))).isEmpty();
		assertThat(this.store.find(running.id())).contains(afterFirst);
		assertThat(this.store.events(running.id(), 0, 100)).hasSize(3)
			.filteredOn(Event::isTerminal)
			.hasSize(1);
	}

	@Test
	void pingSucceedsOnAReachableStore() {
		this.store.ping();
	}

	@Test
	void aStoreThatCanBeUnreachableDeclaresThatItsPingChecks() {
		assertThat(this.store.supportsPing()).isEqualTo(canBeUnreachable());
	}

	// ---- helpers ------------------------------------------------------------------------------------------------

	private JobId storedJob() {
		Job job = queued(newId(), "node-a", at(0), null);
		this.store.upsert(List.of(job));
		return job.id();
	}

	private static Event findingEvent(JobId id, long seq, Severity severity, String code, long second) {
		return new Event.FindingEmitted(id, seq, at(second), finding(severity, code, at(second)));
	}

	private List<Job> query(String tag, Set<JobState> states, String owner, Instant after, Instant before) {
		return this.store.query(new JobCriteria(tag, states, owner, after, before, 0, JobCriteria.DEFAULT_LIMIT));
	}

	private static List<JobId> ids(List<Job> jobs) {
		return jobs.stream().map(Job::id).toList();
	}

}
