package io.execra.autoconfigure.jpa;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import io.execra.Event;
import io.execra.ExecraRuntime;
import io.execra.FailureReason;
import io.execra.Job;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.store.JobCriteria;
import io.execra.store.JobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a JVM running jobs with the JPA store (SIGKILL, no shutdown hook runs) and restarts a runtime with the same
 * node id on the same database: the jobs it left running are finalized as host-exited, and everything it had
 * written before the crash is there, once.
 */
class JpaJobStoreCrashTests {

	@Test
	void jobsOfAKilledNodeAreFinalizedAsHostExitedWhenItRestarts(@TempDir Path directory) throws Exception {
		TestDatabase postgresql = TestDatabase.postgresqlIfAvailable();
		TestDatabase database = (postgresql != null) ? postgresql : TestDatabase.h2File(directory.resolve("crash"));
		String prefix = TestDatabase.uniqueTablePrefix();
		String node = "crash-node-" + UUID.randomUUID();
		List<JobId> finished = new ArrayList<>();
		List<JobId> running = new ArrayList<>();
		List<Long> pids = new ArrayList<>();
		Process child = startChild(database, prefix, node);
		try {
			try {
				readUntilReady(child, finished, running, pids);
			}
			finally {
				child.destroyForcibly();
				assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
			}
			assertRecoveredAfterRestart(database, prefix, node, finished, running);
		}
		finally {
			killProcessGroups(pids);
		}
	}

	private void assertRecoveredAfterRestart(TestDatabase database, String prefix, String node, List<JobId> finished,
			List<JobId> running) {
		assertThat(finished).hasSize(CrashingApplication.FINISHED_JOBS);
		assertThat(running).hasSize(CrashingApplication.RUNNING_JOBS);
		try (ConfigurableApplicationContext context = database.start(prefix)) {
			JobStore store = context.getBean(JobStore.class);
			try {
				assertThat(running).allSatisfy((id) -> assertThat(store.find(id).orElseThrow().state())
					.as("state of %s before the restart", id)
					.isEqualTo(JobState.RUNNING));
				try (ExecraRuntime restarted = ExecraRuntime.builder().store(store).nodeId(node).build()) {
					assertThat(running).allSatisfy((id) -> assertHostExited(store, id));
					assertThat(finished).allSatisfy((id) -> assertFinalizedOnce(store, id));
					assertThat(store.find(finished.get(0)).orElseThrow().outcome())
						.isEqualTo(new Outcome.Failed(new FailureReason.NonZeroExit(3)));
					assertThat(finished.subList(1, finished.size()))
						.allSatisfy((id) -> assertThat(store.find(id).orElseThrow().outcome())
							.isInstanceOf(Outcome.Succeeded.class));
					assertThat(store.count(JobCriteria.all()))
						.isEqualTo(CrashingApplication.FINISHED_JOBS + CrashingApplication.RUNNING_JOBS);
				}
			}
			finally {
				TestDatabase.dropTables(context.getBean(DataSource.class), prefix);
			}
		}
	}

	private static void assertHostExited(JobStore store, JobId id) {
		Job job = store.find(id).orElseThrow();
		assertThat(job.state()).as("state of %s", id).isEqualTo(JobState.FINALIZED);
		assertThat(job.outcome()).isInstanceOfSatisfying(Outcome.Failed.class,
				(failed) -> assertThat(failed.reason()).isInstanceOf(FailureReason.HostExited.class));
		List<Event> events = assertFinalizedOnce(store, id);
		assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(Event.Finalized.class,
				(finalized) -> assertThat(finalized.outcome()).isEqualTo(job.outcome()));
	}

	private static List<Event> assertFinalizedOnce(JobStore store, JobId id) {
		List<Event> events = store.events(id, 0, 10_000);
		assertThat(events).as("events of %s", id).isNotEmpty();
		assertThat(events).extracting(Event::seq).as("seqs of %s", id).isSorted().doesNotHaveDuplicates();
		assertThat(events).filteredOn(Event::isTerminal).as("finalized events of %s", id).hasSize(1);
		assertThat(events.get(events.size() - 1)).isInstanceOf(Event.Finalized.class);
		// the job's row and its job_created event are written together, so the history starts at seq 1
		assertThat(events.get(0)).isInstanceOfSatisfying(Event.JobCreated.class,
				(created) -> assertThat(created.seq()).isEqualTo(1));
		return events;
	}

	private static Process startChild(TestDatabase database, String prefix, String node) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				CrashingApplication.class.getName(), database.url(), database.username(), database.password(), prefix,
				node)
			.redirectErrorStream(true)
			.start();
	}

	private static void readUntilReady(Process child, List<JobId> finished, List<JobId> running, List<Long> pids)
			throws Exception {
		StringBuilder output = new StringBuilder();
		CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
			try (BufferedReader reader = new BufferedReader(
					new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = reader.readLine()) != null) {
					output.append(line).append('\n');
					if (line.startsWith("FINISHED ")) {
						finished.add(JobId.parse(line.substring(9)));
					}
					else if (line.startsWith("RUNNING ")) {
						String[] idAndPid = line.substring(8).split(" ");
						running.add(JobId.parse(idAndPid[0]));
						pids.add(Long.parseLong(idAndPid[1]));
					}
					else if (line.equals("READY")) {
						return true;
					}
				}
				return false;
			}
			catch (IOException ex) {
				return false;
			}
		});
		assertThat(ready.get(240, TimeUnit.SECONDS)).as("child JVM output:%n%s", output).isTrue();
	}

	/** The sleeps lead their own process groups, so the JVM's death left them running. */
	private static void killProcessGroups(List<Long> pids) throws Exception {
		for (Long pid : pids) {
			new ProcessBuilder("kill", "-KILL", "--", "-" + pid).start().waitFor(10, TimeUnit.SECONDS);
			ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
		}
	}

}
