package io.execra.autoconfigure.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.execra.Event;
import io.execra.ExecraRuntime;
import io.execra.Job;
import io.execra.store.InMemoryJobStore;
import io.execra.store.JobCriteria;
import io.execra.store.JobStore;
import io.execra.store.JobStoreFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.context.ConfigurableApplicationContext;

import static io.execra.store.JobStoreFixtures.at;
import static io.execra.store.JobStoreFixtures.done;
import static io.execra.store.JobStoreFixtures.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sweep over 100,000 old jobs while job writes go on: the sweep's time, and the latency of the concurrent writes
 * (one job snapshot and two events every 5 ms) before and during it. Runs only with
 * {@code EXECRA_BENCHMARK=true} (a few minutes); the figures go to the test output.
 */
@EnabledIfEnvironmentVariable(named = "EXECRA_BENCHMARK", matches = "true")
class RetentionSweepBenchmarkTests {

	private static final int JOBS = 100_000;

	private static final long DAY = 86_400;

	@Test
	void inMemoryStore() throws Exception {
		run("in-memory", new InMemoryJobStore(JOBS + 10_000));
	}

	@Test
	void h2JpaStore() throws Exception {
		try (ConfigurableApplicationContext context = H2RetentionCleanerTests
			.startJpaStore("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1", "sa", "")) {
			run("h2 (JPA)", context.getBean(JobStore.class));
		}
	}

	@Test
	void postgresqlJpaStore() throws Exception {
		String url = System.getenv("EXECRA_TEST_POSTGRES_URL");
		org.junit.jupiter.api.Assumptions.assumeTrue(url != null && !url.isBlank(), "EXECRA_TEST_POSTGRES_URL not set");
		String user = System.getenv().getOrDefault("EXECRA_TEST_POSTGRES_USER", "postgres");
		String password = System.getenv().getOrDefault("EXECRA_TEST_POSTGRES_PASSWORD", "");
		String prefix = "B" + Long.toHexString(System.nanoTime()).toUpperCase() + "_";
		try (ConfigurableApplicationContext context = H2RetentionCleanerTests.startJpaStore(url, user, password,
				"execra.jdbc.table-prefix=" + prefix)) {
			run("postgresql (JPA)", context.getBean(JobStore.class));
		}
	}

	private void run(String name, JobStore store) throws Exception {
		long seedStart = System.nanoTime();
		List<Job> batch = new ArrayList<>();
		List<Event> events = new ArrayList<>();
		for (int i = 0; i < JOBS; i++) {
			Job job = done("bench", 0, i % DAY, succeeded());
			batch.add(job);
			events.add(new Event.JobCreated(job.id(), 1, at(0), job.command()));
			events.add(new Event.Finalized(job.id(), 2, at(1), job.outcome()));
			if (batch.size() == 1000) {
				store.upsert(batch);
				store.append(events);
				batch.clear();
				events.clear();
			}
		}
		Duration seeding = Duration.ofNanos(System.nanoTime() - seedStart);
		try (ExecraRuntime runtime = ExecraRuntime.builder().store(store).build()) {
			ExecraRetentionCleaner cleaner = new ExecraRetentionCleaner(
					new RetentionPolicy(Duration.ofDays(7), Duration.ofDays(7), 0, "pinned", Duration.ZERO, 500),
					() -> Map.of("default", runtime), Clock.fixed(at(30 * DAY), ZoneOffset.UTC), List.of());
			long[] baseline = writes(store, Duration.ofSeconds(2), null);
			AtomicBoolean sweeping = new AtomicBoolean(true);
			long[] sweepNanos = new long[1];
			CompletableFuture<RetentionSweepResult> sweep = CompletableFuture.supplyAsync(() -> {
				long start = System.nanoTime();
				try {
					return cleaner.sweep();
				}
				finally {
					sweepNanos[0] = System.nanoTime() - start;
					sweeping.set(false);
				}
			});
			long[] during = writes(store, null, sweeping);
			RetentionSweepResult result = sweep.get();
			assertThat(result.jobsDeleted()).isEqualTo(JOBS);
			long left = store.count(new JobCriteria(null, java.util.Set.of(), null, null, null, 0, 1));
			System.out.printf("%s: seeded %,d jobs (+%,d events) in %d ms; sweep deleted %,d in %d ms (%.0f jobs/s)%n",
					name, JOBS, 2 * JOBS, seeding.toMillis(), result.jobsDeleted(), sweepNanos[0] / 1_000_000,
					result.jobsDeleted() * 1e9 / Math.max(1, sweepNanos[0]));
			System.out.printf("%s: job writes before the sweep: %s%n", name, stats(baseline));
			System.out.printf("%s: job writes during the sweep: %s; jobs left %d%n", name, stats(during), left);
		}
	}

	/** Writes a new job (snapshot + 2 events) every 5 ms for a time or while a flag holds; returns latencies (µs). */
	private static long[] writes(JobStore store, Duration time, AtomicBoolean whileTrue) throws InterruptedException {
		List<Long> latencies = new ArrayList<>();
		long end = (time != null) ? System.nanoTime() + time.toNanos() : Long.MAX_VALUE;
		while (System.nanoTime() < end && (whileTrue == null || whileTrue.get())) {
			Job job = JobStoreFixtures.queued(JobStoreFixtures.newId(), "writer", at(30 * DAY), null);
			long start = System.nanoTime();
			store.upsert(List.of(job));
			store.append(List.of(new Event.JobCreated(job.id(), 1, at(30 * DAY), job.command()),
					new Event.JobStarted(job.id(), 2, at(30 * DAY), 1)));
			latencies.add((System.nanoTime() - start) / 1000);
			Thread.sleep(5);
		}
		return latencies.stream().mapToLong(Long::longValue).toArray();
	}

	private static String stats(long[] micros) {
		if (micros.length == 0) {
			return "none";
		}
		long[] sorted = micros.clone();
		Arrays.sort(sorted);
		return String.format("n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms", sorted.length,
				sorted[sorted.length / 2] / 1000.0, sorted[(int) (sorted.length * 0.99)] / 1000.0,
				sorted[sorted.length - 1] / 1000.0);
	}

}
