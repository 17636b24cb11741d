package io.execra.autoconfigure.jpa;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import io.execra.Event;
import io.execra.Job;
import io.execra.JobId;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.store.JobStore;
import io.execra.support.TestJobs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A Spring Boot application in a child JVM, with the JPA store on PostgreSQL, gets a real SIGTERM while two jobs
 * run, as Kubernetes, systemd and Docker stop applications: Boot's shutdown hook closes the context, the runtime
 * drains within the shutdown phase and cancels what is left. The job that ends within the drain window is stored
 * {@code Succeeded}; the one that does not is stored {@code Cancelled} with its {@code cancelled} event; no process
 * of either outlives the JVM.
 */
class SigtermDrainTests {

	/** Drain window: 12.5 s less the runtime's allowance (1 s + 0.5 s + 2 × 1 s + 1 s) is 8 s. */
	private static final String[] SHUTDOWN_PROPERTIES = { "spring.lifecycle.timeout-per-shutdown-phase=12500ms",
			"execra.cancel-grace-period=1s", "execra.drain-grace-period=500ms", "execra.store.write-timeout=1s" };

	private static final Map<String, JobId> ids = new HashMap<>();

	private static final Map<String, Long> pids = new HashMap<>();

	private static final StringBuilder childOutput = new StringBuilder();

	private static TestDatabase database;

	private static String prefix;

	private static ConfigurableApplicationContext reader;

	@BeforeAll
	static void terminateAnApplicationWhileItsJobsRun() throws Exception {
		assumeTrue(TestJobs.hasProcFs(), "needs /proc");
		database = TestDatabase.postgresql();
		prefix = TestDatabase.uniqueTablePrefix();
		Process child = startChild();
		try {
			readUntilReady(child);
			Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(child.pid())).start();
			assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
			assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM exited after SIGTERM; output:%n%s",
					childOutput)
				.isTrue();
		}
		finally {
			child.destroyForcibly();
		}
		reader = database.start(prefix);
	}

	@AfterAll
	static void dropTablesAndKillLeftovers() throws Exception {
		for (Long pid : pids.values()) {
			new ProcessBuilder("kill", "-KILL", "--", "-" + pid).start().waitFor(10, TimeUnit.SECONDS);
		}
		if (reader != null) {
			TestDatabase.dropTables(reader.getBean(DataSource.class), prefix);
			reader.close();
		}
	}

	@Test
	void jobEndingWithinTheDrainWindowIsStoredSucceeded() {
		Job job = stored("SHORT");
		assertThat(job.state()).isEqualTo(JobState.FINALIZED);
		assertThat(job.outcome()).as("outcome of the short job; child output:%n%s", childOutput)
			.isInstanceOf(Outcome.Succeeded.class);
		assertThat(events("SHORT")).noneMatch(Event.Cancelled.class::isInstance);
	}

	@Test
	void jobLongerThanTheDrainWindowIsStoredCancelledWithItsCancelledEvent() {
		Job job = stored("LONG");
		assertThat(job.state()).isEqualTo(JobState.FINALIZED);
		assertThat(job.outcome()).as("outcome of the long job; child output:%n%s", childOutput)
			.isInstanceOf(Outcome.Cancelled.class);
		List<Event> events = events("LONG");
		assertThat(events).filteredOn(Event.Cancelled.class::isInstance).hasSize(1);
		assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(Event.Finalized.class,
				(finalized) -> assertThat(finalized.outcome()).isInstanceOf(Outcome.Cancelled.class));
	}

	@Test
	void noProcessOfEitherJobOutlivesTheJvm() {
		assertThat(pids).hasSize(2);
		pids.forEach((job, pid) -> assertThat(TestJobs.liveProcessesInGroup(pid))
			.as("live processes of the %s job's group", job)
			.isEmpty());
	}

	@Test
	void springLifecycleShutsTheRuntimeDown() {
		assertThat(childOutput).contains("Shutting down execra runtime 'execraRuntime': 2 active jobs");
	}

	private static Job stored(String name) {
		return reader.getBean(JobStore.class).find(ids.get(name)).orElseThrow();
	}

	private static List<Event> events(String name) {
		return reader.getBean(JobStore.class).events(ids.get(name), 0, 10_000);
	}

	private static Process startChild() throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new java.util.ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), DrainingApplication.class.getName(), database.url(),
				database.username(), database.password(), prefix));
		command.addAll(List.of(SHUTDOWN_PROPERTIES));
		return new ProcessBuilder(command).redirectErrorStream(true).start();
	}

	/** Reads the jobs' ids and pids until READY, then keeps collecting the output until the child ends. */
	private static void readUntilReady(Process child) throws Exception {
		CompletableFuture<Boolean> ready = new CompletableFuture<>();
		Thread reading = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					synchronized (childOutput) {
						childOutput.append(line).append('\n');
					}
					String[] words = line.split(" ");
					if (words.length == 3 && (words[0].equals("SHORT") || words[0].equals("LONG"))) {
						ids.put(words[0], JobId.parse(words[1]));
						pids.put(words[0], Long.parseLong(words[2]));
					}
					else if (line.equals("READY")) {
						ready.complete(true);
					}
				}
			}
			catch (IOException ex) {
				// the child is gone
			}
			ready.complete(false);
		}, "child-output");
		reading.setDaemon(true);
		reading.start();
		assertThat(ready.get(240, TimeUnit.SECONDS)).as("child JVM output:%n%s", childOutput).isTrue();
	}

}
