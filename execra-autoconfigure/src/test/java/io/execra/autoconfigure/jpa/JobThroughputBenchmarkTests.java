package io.execra.autoconfigure.jpa;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.store.InMemoryJobStore;
import io.execra.store.JobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A benchmark, not a test: job throughput of {@code /bin/true} jobs with the in-memory store, the JPA store on H2
 * and the JPA store on PostgreSQL, beside raw {@link ProcessBuilder} with the same parallelism, measured in rounds
 * that alternate execra and the baseline in the same run. Prints figures; asserts nothing about speed. Runs only
 * with {@code EXECRA_BENCHMARK=true}:
 * <pre>
 * EXECRA_BENCHMARK=true EXECRA_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:5432/test EXECRA_TEST_POSTGRES_USER=postgres \
 *   ./mvnw -B -pl execra-autoconfigure -am test -Dtest=JobThroughputBenchmarkTests -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfEnvironmentVariable(named = "EXECRA_BENCHMARK", matches = "true")
class JobThroughputBenchmarkTests {

	private static final int JOBS = 2000;

	private static final int ROUNDS = 3;

	/**
	 * Whole rounds before the measured ones: C2 is still compiling Hibernate's and the store's paths after a few
	 * hundred jobs (40% of the CPU samples of a run went to the compiler with a 200-job warm-up), and the target
	 * is about the steady state.
	 */
	private static final int WARM_UP_ROUNDS = 2;

	@Test
	void jobThroughputPerStoreBesideRawProcessBuilder() throws Exception {
		List<String> rows = new ArrayList<>();
		runStore("memory", InMemoryJobStore::new, rows);
		TestDatabase h2 = TestDatabase.h2();
		String h2Prefix = TestDatabase.uniqueTablePrefix();
		try (ConfigurableApplicationContext context = h2.start(h2Prefix)) {
			runStore("jpa-h2", () -> fresh(context, h2Prefix), rows);
		}
		TestDatabase postgres = TestDatabase.postgresql();
		String pgPrefix = TestDatabase.uniqueTablePrefix();
		try (ConfigurableApplicationContext context = postgres.start(pgPrefix)) {
			try {
				runStore("jpa-postgresql", () -> fresh(context, pgPrefix), rows);
			}
			finally {
				TestDatabase.dropTables(context.getBean(DataSource.class), pgPrefix);
			}
		}
		System.out.println();
		System.out.printf("%-16s %-12s %12s %12s %8s %s%n", "store", "concurrency", "execra j/s", "raw j/s", "ratio",
				"target");
		rows.forEach(System.out::println);
	}

	private static JobStore fresh(ConfigurableApplicationContext context, String prefix) {
		TestDatabase.deleteRows(context.getBean(DataSource.class), prefix);
		return context.getBean(JobStore.class);
	}

	private interface Stores {

		JobStore create();

	}

	private static void runStore(String name, Stores stores, List<String> rows) throws Exception {
		for (int concurrency : new int[] { 1, 8 }) {
			for (int warmUp = 0; warmUp < WARM_UP_ROUNDS; warmUp++) {
				execra(stores, concurrency, JOBS);
				raw(concurrency, JOBS);
			}
			double[] execra = new double[ROUNDS];
			double[] raw = new double[ROUNDS];
			for (int round = 0; round < ROUNDS; round++) {
				execra[round] = execra(stores, concurrency, JOBS);
				raw[round] = raw(concurrency, JOBS);
			}
			double e = median(execra);
			double r = median(raw);
			String target = name.equals("memory") ? "≥ 0.90×" : "≥ 0.80×";
			rows.add(String.format("%-16s %-12d %12.0f %12.0f %7.2f× %s", name, concurrency, e, r, e / r, target));
			System.out.println(rows.get(rows.size() - 1));
		}
	}

	private static double execra(Stores stores, int concurrency, int jobs) throws Exception {
		try (ExecraRuntime runtime = ExecraRuntime.builder()
			.store(stores.create())
			.nodeId("bench-" + UUID.randomUUID())
			.maxConcurrent(concurrency)
			.queueCapacity(jobs)
			.build()) {
			long start = System.nanoTime();
			List<JobHandle> handles = new ArrayList<>(jobs);
			for (int i = 0; i < jobs; i++) {
				handles.add(runtime.spawn(Command.of("/bin/true")));
			}
			for (JobHandle handle : handles) {
				if (!handle.await().isSuccess()) {
					throw new IllegalStateException("/bin/true failed");
				}
			}
			return jobs / ((System.nanoTime() - start) / 1e9);
		}
	}

	private static double raw(int concurrency, int jobs) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		try {
			long start = System.nanoTime();
			List<Future<Integer>> results = new ArrayList<>(jobs);
			for (int i = 0; i < jobs; i++) {
				results.add(pool.submit(JobThroughputBenchmarkTests::runTrue));
			}
			for (Future<Integer> result : results) {
				if (result.get() != 0) {
					throw new IllegalStateException("/bin/true failed");
				}
			}
			return jobs / ((System.nanoTime() - start) / 1e9);
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static int runTrue() throws IOException, InterruptedException {
		Process process = new ProcessBuilder("/bin/true").start();
		process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
		process.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
		return process.waitFor();
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

}
