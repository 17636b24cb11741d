package io.execra.autoconfigure.jpa;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.execra.Command;
import io.execra.CommandTemplate;
import io.execra.Event;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.cluster.ClusterSettings;
import io.execra.cluster.ClusterStore;
import io.execra.store.JobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node in cluster mode on PostgreSQL whose database connection breaks at a commit, after the database committed:
 * the client gets an I/O error and cannot tell the commit from a rollback ({@link CommitAnswerLosingProxy}). A
 * claim, a spawn's enqueue and a store write each lose the answer to their commit once; every job still runs, once,
 * and its history is whole.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterLostCommitAnswerOnPostgresTests {

	private static final Duration JOB_WAIT = Duration.ofSeconds(30);

	private final String tablePrefix = TestDatabase.uniqueTablePrefix();

	private CommitAnswerLosingProxy proxy;

	private ConfigurableApplicationContext context;

	private ExecraRuntime node;

	@TempDir
	Path dir;

	@BeforeAll
	void start() throws Exception {
		TestDatabase database = TestDatabase.postgresql();
		this.proxy = CommitAnswerLosingProxy.of(database.url());
		this.context = new TestDatabase(database.name(), this.proxy.url(database.url()), database.username(),
				database.password())
			.start(this.tablePrefix, "execra.cluster.enabled=true");
		ClusterStore store = this.context.getBean(ClusterStore.class);
		CommandTemplate append = new CommandTemplate("append", "sh",
				List.of("-c", "echo \"$EXECRA_JOB_ID\" >> \"$1\"", "sh", "{file}"), Map.of(), null, null, Set.of(),
				null, Set.of(), null);
		// one slot, so that a job holding it keeps the others queued until the claim the test aims at
		this.node = ExecraRuntime.builder()
			.store(this.context.getBean(JobStore.class))
			.nodeId("lost-answer-" + this.tablePrefix)
			.maxConcurrent(1)
			.preset(append)
			.cluster(new ClusterSettings(store, Duration.ofSeconds(10), Duration.ofSeconds(1), 16,
					Duration.ofMillis(500), Map.of()))
			.build();
	}

	@AfterAll
	void stop() throws Exception {
		if (this.node != null) {
			this.node.close();
		}
		if (this.context != null) {
			TestDatabase.dropTables(this.context.getBean(DataSource.class), this.tablePrefix);
			this.context.close();
		}
		if (this.proxy != null) {
			this.proxy.close();
		}
	}

	@Test
	void aClaimWhoseCommitWasNotAnsweredStillRunsWhatItTookOnce() throws Exception {
		JobHandle holder = this.node.spawn(Command.of("sleep", "300"));
		await().atMost(JOB_WAIT)
			.until(() -> this.node.job(holder.id()).map((job) -> job.state() == JobState.RUNNING).orElse(false));
		Path ran = this.dir.resolve("claimed.txt");
		List<JobHandle> queued = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			queued.add(this.node.spawn("append", Map.of("file", ran.toString())));
		}
		this.proxy.loseAnswerToCommitAfter("CLAIM_ID = $");
		assertThat(this.node.cancel(holder.id())).isTrue();
		assertThat(this.proxy.awaitAnswerLost(20)).as("the answer to a claim's commit was lost").isTrue();
		assertRanOnceAndSucceeded(queued, ran);
	}

	@Test
	void aSpawnWhoseEnqueueCommitWasNotAnsweredReturnsAndItsJobRunsOnce() throws Exception {
		Path ran = this.dir.resolve("enqueued.txt");
		this.proxy.loseAnswerToCommitAfter("VALUES ($1, 'QUEUED'");
		JobHandle spawned = this.node.spawn("append", Map.of("file", ran.toString()));
		assertThat(this.proxy.awaitAnswerLost(0)).as("the answer to the enqueue's commit was lost").isTrue();
		assertRanOnceAndSucceeded(List.of(spawned), ran);
	}

	@Test
	void aStoreWriteWhoseCommitWasNotAnsweredIsWrittenOnce() throws Exception {
		Path ran = this.dir.resolve("written.txt");
		this.proxy.loseAnswerToCommitAfter("SELECT JOB_ID, OWNER_NODE, OWNER_EPOCH FROM");
		JobHandle spawned = this.node.spawn("append", Map.of("file", ran.toString()));
		assertThat(this.proxy.awaitAnswerLost(20)).as("the answer to a write's commit was lost").isTrue();
		assertRanOnceAndSucceeded(List.of(spawned), ran);
	}

	private void assertRanOnceAndSucceeded(List<JobHandle> handles, Path ran) throws Exception {
		for (JobHandle handle : handles) {
			assertThat(handle.outcome().get(JOB_WAIT.toSeconds(), TimeUnit.SECONDS)).as("outcome of %s", handle.id())
				.isInstanceOf(Outcome.Succeeded.class);
			List<Event> events = this.node.events(handle.id(), 0, 1000);
			assertThat(events).as("stored events of %s", handle.id()).isNotEmpty();
			for (int i = 0; i < events.size(); i++) {
				assertThat(events.get(i).seq()).as("seq of stored event %d of %s", i, handle.id()).isEqualTo(i + 1);
			}
			assertThat(events.get(events.size() - 1)).isInstanceOf(Event.Finalized.class);
		}
		assertThat(Files.readAllLines(ran)).as("each job ran once")
			.containsExactlyInAnyOrderElementsOf(handles.stream().map((handle) -> handle.id().toString()).toList());
	}

}
