package io.execra.autoconfigure.jpa;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.execra.Command;
import io.execra.CommandTemplate;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.Job;
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
 * Two runtimes in cluster mode in one JVM on the JDBC cluster store on PostgreSQL (LISTEN/NOTIFY), running real
 * processes: the core's cluster runtime on the real shared table. The multi-JVM acceptance runs are elsewhere; this
 * is the quick check that the runtime and the store fit, and it prints the relay latency it saw.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterRuntimeOnPostgresTests {

	private final String tablePrefix = TestDatabase.uniqueTablePrefix();

	private ConfigurableApplicationContext context;

	private ExecraRuntime a;

	private ExecraRuntime b;

	@TempDir
	Path dir;

	@BeforeAll
	void start() {
		this.context = TestDatabase.postgresql().start(this.tablePrefix, "execra.cluster.enabled=true");
		ClusterStore store = this.context.getBean(ClusterStore.class);
		JobStore jobs = this.context.getBean(JobStore.class);
		CommandTemplate append = new CommandTemplate("append", "sh",
				List.of("-c", "echo \"$EXECRA_JOB_ID\" >> \"$1\"", "sh", "{file}"), Map.of(), null, null, Set.of(),
				null, Set.of(), null);
		ClusterSettings settings = new ClusterSettings(store, Duration.ofSeconds(5), Duration.ofSeconds(1), 16,
				Duration.ofMillis(500), Map.of());
		this.a = ExecraRuntime.builder().store(jobs).nodeId("pg-a").maxConcurrent(4).preset(append)
			.cluster(settings).build();
		this.b = ExecraRuntime.builder().store(jobs).nodeId("pg-b").maxConcurrent(4).preset(append)
			.cluster(settings).build();
		await().atMost(Duration.ofSeconds(10))
			.until(((PostgresClusterSignals) store.signals().orElseThrow())::isListening);
	}

	@AfterAll
	void stop() {
		if (this.a != null) {
			this.a.close();
		}
		if (this.b != null) {
			this.b.close();
		}
		if (this.context != null) {
			TestDatabase.dropTables(this.context.getBean(javax.sql.DataSource.class), this.tablePrefix);
			this.context.close();
		}
	}

	@Test
	void jobsSpawnedOnOneNodeRunOnceEach() throws Exception {
		Path ran = this.dir.resolve("ran.txt");
		List<JobHandle> handles = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			handles.add(this.a.spawn("append", Map.of("file", ran.toString())));
		}
		Set<String> nodes = new HashSet<>();
		for (JobHandle handle : handles) {
			assertThat(handle.await()).isInstanceOf(Outcome.Succeeded.class);
			nodes.add(this.b.job(handle.id()).orElseThrow().node());
		}
		assertThat(Files.readAllLines(ran)).hasSize(40)
			.containsExactlyInAnyOrderElementsOf(handles.stream().map((h) -> h.id().toString()).toList());
		assertThat(nodes).isSubsetOf("pg-a", "pg-b");
	}

	@Test
	void aSubscriberOnTheOtherNodeGetsEverySeqAndCancelKillsTheJob() throws Exception {
		JobHandle onA = this.a.spawn(Command.of("sh", "-c",
				"for i in $(seq 1 100); do echo line $i; sleep 0.01; done; exec sleep 300"));
		List<Long> latenciesMicros = new ArrayList<>();
		List<Event> events = new ArrayList<>();
		try (EventStream stream = this.b.subscribe(onA.id())) {
			while (events.size() < 102) {
				Event event = stream.next(Duration.ofSeconds(30));
				assertThat(event).as("event after " + events.size()).isNotNull();
				latenciesMicros.add(Duration.between(event.at(), Instant.now()).toNanos() / 1000);
				events.add(event);
			}
			Job running = this.b.job(onA.id()).orElseThrow();
			assertThat(running.node()).isEqualTo("pg-a");
			assertThat(running.state()).isEqualTo(JobState.RUNNING);
			long pid = running.pid();
			assertThat(this.b.cancel(onA.id())).isTrue();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> ProcessHandle.of(pid).map((p) -> !p.isAlive()).orElse(true));
			while (!(events.get(events.size() - 1) instanceof Event.Finalized)) {
				Event event = stream.next(Duration.ofSeconds(30));
				assertThat(event).isNotNull();
				events.add(event);
			}
		}
		assertThat(events).noneMatch(Event.Lagged.class::isInstance);
		for (int i = 0; i < events.size(); i++) {
			assertThat(events.get(i).seq()).isEqualTo(i + 1);
		}
		assertThat(this.b.handle(onA.id()).orElseThrow().await()).isInstanceOf(Outcome.Cancelled.class);
		List<Long> sorted = latenciesMicros.subList(2, latenciesMicros.size()).stream().sorted().toList();
		System.out.printf("Relayed event latency over PostgreSQL NOTIFY (%d events): p50 %.1f ms, p99 %.1f ms%n",
				sorted.size(), sorted.get(sorted.size() / 2) / 1000.0,
				sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1000.0);
	}

}
