package io.execra.autoconfigure.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.Job;
import io.execra.JobHandle;
import io.execra.JobId;
import io.execra.Outcome;
import io.execra.store.FindingQuery;
import io.execra.store.JobCriteria;
import io.execra.store.JobStore;
import io.execra.store.JobStoreFixtures;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.execra.store.JobStoreFixtures.at;
import static io.execra.store.JobStoreFixtures.done;
import static io.execra.store.JobStoreFixtures.failed;
import static io.execra.store.JobStoreFixtures.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention sweeps against a store: exactly the jobs the policy selects go, with their events, findings and
 * raw-output files; pinned and active jobs stay. Subclassed per store.
 */
abstract class AbstractRetentionCleanerTests {

	private static final long DAY = 86_400;

	/** The sweeps run ten days after {@link JobStoreFixtures#T0}. */
	private static final Clock NOW = Clock.fixed(at(10 * DAY), ZoneOffset.UTC);

	@TempDir
	Path outputDirectory;

	private JobStore store;

	private ExecraRuntime runtime;

	protected abstract JobStore createStore();

	protected void closeStore() {
	}

	@BeforeEach
	void createRuntime() {
		this.store = createStore();
		this.runtime = ExecraRuntime.builder().store(this.store).outputLog(this.outputDirectory, true).build();
	}

	@AfterEach
	void closeRuntime() {
		if (this.runtime == null) {
			// the store could not be created: no database to test against, the test was skipped
			return;
		}
		this.runtime.close();
		closeStore();
	}

	@Test
	void deletesJobsOlderThanTheirMaxAgeWithEventsFindingsAndFiles() throws IOException {
		Job old = seed(done("n", 0, 0, succeeded()));
		Job recent = seed(done("n", 0, 8 * DAY, succeeded()));
		Job failedRecently = seed(done("n", 0, 5 * DAY, failed()));
		Job failedLongAgo = seed(done("n", 0, 0, failed()));
		Job pinned = seed(done("n", 0, 0, new Outcome.Cancelled(List.of()), "pinned"));
		Job active = seed(JobStoreFixtures.queued(JobStoreFixtures.newId(), "n", at(0), null));
		Job alsoOld = seed(done("n", 0, DAY, succeeded()));
		Path oldFile = file(old.id(), ".log.gz", at(0));
		Path recentFile = file(recent.id(), ".log", at(0));
		Path failedFile = file(failedLongAgo.id(), ".log", at(0));

		RetentionSweepResult result = cleaner(policy(Duration.ofDays(3), Duration.ofDays(7), 0, Duration.ZERO, 2))
			.sweep();

		assertThat(result.isSuccess()).isTrue();
		assertThat(result.jobsDeleted()).isEqualTo(3);
		assertThat(result.outputFilesDeleted()).isEqualTo(2);
		assertThat(stored()).containsExactlyInAnyOrder(recent.id(), failedRecently.id(), pinned.id(), active.id());
		for (Job deleted : List.of(old, failedLongAgo, alsoOld)) {
			assertThat(this.store.find(deleted.id())).isEmpty();
			assertThat(this.store.events(deleted.id(), 0, 100)).isEmpty();
			assertThat(this.store.findings(new FindingQuery(deleted.id(), java.util.Set.of(), null, 100))).isEmpty();
		}
		assertThat(this.store.events(recent.id(), 0, 100)).hasSize(JobStoreFixtures.history(recent.id()).size());
		assertThat(oldFile).doesNotExist();
		assertThat(failedFile).doesNotExist();
		assertThat(recentFile).exists();
	}

	@Test
	void keepsTheNewestMaxJobsAndPinnedJobs() {
		Job first = seed(done("n", 0, 1, succeeded()));
		Job second = seed(done("n", 0, 2, failed()));
		Job third = seed(done("n", 0, 3, succeeded()));
		Job fourth = seed(done("n", 0, 4, succeeded()));
		Job pinned = seed(done("n", 0, 0, succeeded(), "pinned"));

		RetentionSweepResult result = cleaner(policy(Duration.ZERO, Duration.ZERO, 2, Duration.ZERO, 500)).sweep();

		assertThat(result.jobsDeleted()).isEqualTo(2);
		assertThat(stored()).containsExactlyInAnyOrder(third.id(), fourth.id(), pinned.id());
		assertThat(this.store.find(first.id())).isEmpty();
		assertThat(this.store.find(second.id())).isEmpty();
	}

	@Test
	void deletesOldOutputFilesButKeepsTheirJobsAndTheFilesOfActiveJobs() throws Exception {
		Job kept = seed(done("n", 0, 0, succeeded()));
		Path oldFile = file(kept.id(), ".log.gz", at(0));
		Path newFile = file(JobStoreFixtures.newId(), ".log", at(10 * DAY));
		Path unrelated = Files.writeString(this.outputDirectory.resolve("notes.log"), "not a job");
		Files.setLastModifiedTime(unrelated, FileTime.from(at(0)));
		JobHandle running = this.runtime.spawn(Command.of("sleep", "30"));
		Path runningFile = this.outputDirectory.resolve(running.id() + ".log");
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(runningFile));
		Files.setLastModifiedTime(runningFile, FileTime.from(at(0)));
		try {
			RetentionSweepResult result = cleaner(policy(Duration.ZERO, Duration.ZERO, 0, Duration.ofDays(1), 500))
				.sweep();

			assertThat(result.jobsDeleted()).isZero();
			assertThat(result.outputFilesDeleted()).isEqualTo(1);
			assertThat(oldFile).doesNotExist();
			assertThat(newFile).exists();
			assertThat(unrelated).exists();
			assertThat(runningFile).exists();
			assertThat(this.store.find(kept.id())).isPresent();
		}
		finally {
			running.cancel();
			running.await();
		}
	}

	@Test
	void deletesARealJobItsEventsAndItsGzippedOutputLogOnceOld() throws InterruptedException {
		JobHandle handle = this.runtime.spawn(Command.shell("echo one; echo two >&2").tags("batch"));
		assertThat(handle.await().isSuccess()).isTrue();
		Path log = this.outputDirectory.resolve(handle.id() + ".log.gz");
		assertThat(log).exists();
		assertThat(this.runtime.jobs().tag("batch").list()).extracting(Job::id).containsExactly(handle.id());
		Clock monthLater = Clock.offset(Clock.systemUTC(), Duration.ofDays(30));
		ExecraRetentionCleaner cleaner = new ExecraRetentionCleaner(
				policy(Duration.ofDays(1), Duration.ofDays(1), 0, Duration.ZERO, 500),
				() -> Map.of("default", this.runtime), monthLater, List.of());

		RetentionSweepResult result = cleaner.sweep();

		assertThat(result.jobsDeleted()).isEqualTo(1);
		assertThat(log).doesNotExist();
		assertThat(this.store.find(handle.id())).isEmpty();
		assertThat(this.store.events(handle.id(), 0, 100)).isEmpty();
		assertThat(this.runtime.jobs().tag("batch").list()).isEmpty();
		assertThat(this.runtime.jobs().tag("batch").count()).isZero();
	}

	@Test
	void aSecondSweepFindsNothingLeftToDelete() {
		seed(done("n", 0, 0, succeeded()));
		ExecraRetentionCleaner cleaner = cleaner(policy(Duration.ofDays(1), Duration.ofDays(1), 0, Duration.ZERO, 1));

		assertThat(cleaner.sweep().jobsDeleted()).isEqualTo(1);
		assertThat(cleaner.sweep().jobsDeleted()).isZero();
		assertThat(cleaner.lastSweep().jobsDeleted()).isZero();
	}

	@Test
	void slicedSweepDeletesTheSameAsAWholeOne() {
		for (int i = 0; i < 7; i++) {
			seed(done("n", 0, i, succeeded()));
		}
		ExecraRetentionCleaner cleaner = cleaner(policy(Duration.ofDays(1), Duration.ofDays(1), 0, Duration.ZERO, 2));

		int slices = 1;
		RetentionSweepResult result = cleaner.step(Duration.ZERO);
		while (result == null) {
			slices++;
			result = cleaner.step(Duration.ZERO);
		}

		assertThat(result.jobsDeleted()).isEqualTo(7);
		assertThat(slices).isEqualTo(5); // batches of 2, 2, 2, 1, then the end
		assertThat(stored()).isEmpty();
	}

	private ExecraRetentionCleaner cleaner(RetentionPolicy policy) {
		return new ExecraRetentionCleaner(policy, () -> Map.of("default", this.runtime), NOW, List.of());
	}

	private static RetentionPolicy policy(Duration maxAge, Duration failedMaxAge, long maxJobs, Duration filesMaxAge,
			int batchSize) {
		return new RetentionPolicy(maxAge, failedMaxAge, maxJobs, "pinned", filesMaxAge, batchSize);
	}

	private Job seed(Job job) {
		this.store.upsert(List.of(job));
		this.store.append(JobStoreFixtures.history(job.id()));
		return job;
	}

	private List<JobId> stored() {
		return this.store.query(new JobCriteria(null, java.util.Set.of(), null, null, null, 0, 1000))
			.stream()
			.map(Job::id)
			.toList();
	}

	private Path file(JobId id, String suffix, Instant modified) throws IOException {
		Path file = Files.writeString(this.outputDirectory.resolve(id + suffix), "1\tstdout\tline\n");
		Files.setLastModifiedTime(file, FileTime.from(modified));
		return file;
	}

}
