package io.execra.autoconfigure.jpa;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;

import io.execra.Command;
import io.execra.Event;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.JobState;
import io.execra.Outcome;
import io.execra.autoconfigure.ExecraAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Load through a Spring application with the JPA store on PostgreSQL: 10,000 short jobs lose no terminal state,
 * leak no process, and leave file descriptors and threads where they were.
 */
class SpringLoadTests {

	private static final int JOBS = 10_000;

	@Test
	void tenThousandShortJobsLoseNoTerminalStateAndLeakNothing() throws Exception {
		TestDatabase database = TestDatabase.postgresql();
		String prefix = TestDatabase.uniqueTablePrefix();
		// warm up what a JVM creates once (JDBC driver, Hibernate, JIT, the JDK's process reaper), then measure
		runJobs(database, prefix, 200);
		awaitQuiet();
		int baselineThreads = liveThreads();
		long baselineFds = openFileDescriptors();

		long start = System.nanoTime();
		Result result = runJobs(database, prefix, JOBS);
		double seconds = (System.nanoTime() - start) / 1e9;
		System.out.printf("%d jobs through Spring + JPA on PostgreSQL in %.1f s (%.0f jobs/s, incl. start-up)%n", JOBS,
				seconds, JOBS / seconds);

		assertThat(result.outcomes()).as("outcomes").hasSize(JOBS).allMatch(Outcome::isSuccess);
		assertThat(result.finalizedEvents()).as("Finalized events at @EventListener").isEqualTo(JOBS);
		assertThat(result.storedFinalized()).as("finalized jobs in the store").isEqualTo(JOBS);
		assertThat(result.storedTerminalEvents()).as("finalized events in the store, none twice").isEqualTo(JOBS);
		assertThat(result.leakedProcesses()).as("job processes still alive").isEmpty();

		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			assertThat(liveThreads()).as("threads, baseline %d", baselineThreads).isLessThanOrEqualTo(baselineThreads + 2);
			assertThat(openFileDescriptors()).as("file descriptors, baseline %d", baselineFds)
				.isLessThanOrEqualTo(baselineFds + 4);
		});
	}

	private record Result(List<Outcome> outcomes, int finalizedEvents, long storedFinalized,
			long storedTerminalEvents, List<Long> leakedProcesses) {
	}

	private static Result runJobs(TestDatabase database, String prefix, int count) throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(LoadApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.datasource.url=" + database.url(), "spring.datasource.username=" + database.username(),
					"spring.datasource.password=" + database.password(), "spring.jpa.hibernate.ddl-auto=validate",
					"spring.jpa.open-in-view=false", "execra.jdbc.initialize-schema=always",
					"execra.jdbc.table-prefix=" + prefix, "spring.main.banner-mode=off", "execra.max-concurrent=8",
					"execra.queue-capacity=" + JOBS, "execra.events.include-output=false")
			.run()) {
			ExecraRuntime runtime = context.getBean(ExecraRuntime.class);
			FinalizedCounter counter = context.getBean(FinalizedCounter.class);
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			String tag = "load-" + count;
			List<JobHandle> jobs = new ArrayList<>(count);
			for (int i = 0; i < count; i++) {
				jobs.add(runtime.spawn(Command.of("true").tags(tag)));
			}
			List<Outcome> outcomes = new ArrayList<>(count);
			for (JobHandle job : jobs) {
				outcomes.add(job.outcome().get());
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> counter.count.get() >= count);
			// jobs now start faster than one writer thread stores them in PostgreSQL on 2 CPUs (about 800 jobs/s
			// here), so after a burst of 10,000 the store lags behind by more than a count's 5 s flush: wait for it
			// to catch up, which is what "no terminal state lost" means
			long storedFinalized = await().atMost(Duration.ofSeconds(120))
				.pollInterval(Duration.ofSeconds(1))
				.ignoreException(io.execra.store.StoreException.class)
				.until(() -> runtime.jobs().tag(tag).state(JobState.FINALIZED).count(), (stored) -> stored >= count);
			Long terminalEvents = jdbc.queryForObject("SELECT COUNT(*) FROM " + prefix + "EVENT e JOIN " + prefix
					+ "JOB_TAG t ON t.JOB_ID = e.JOB_ID WHERE t.TAG = ? AND e.KIND = 'finalized'", Long.class, tag);
			List<Long> leaked = jobs.stream()
				.map((job) -> job.snapshot().pid())
				.filter((pid) -> pid != null && ProcessHandle.of(pid)
					.flatMap(ProcessHandle::parent)
					.map((parent) -> parent.pid() == ProcessHandle.current().pid())
					.orElse(false))
				.toList();
			int finalized = counter.count.getAndSet(0);
			TestDatabase.dropTables(context.getBean(DataSource.class), prefix);
			return new Result(outcomes, finalized, storedFinalized, (terminalEvents != null) ? terminalEvents : -1,
					leaked);
		}
	}

	private static void awaitQuiet() {
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			int before = liveThreads();
			Thread.sleep(500);
			return liveThreads() == before && liveThreads() <= before;
		});
	}

	/**
	 * Live threads, leaving out on-demand threads that end by themselves when idle: JIT compilers and process
	 * reapers (the JDK's, or execra's where it starts processes through posix_spawn).
	 */
	private static int liveThreads() {
		return (int) Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> !name.contains("CompilerThread") && !name.startsWith("process reaper")
					&& !name.startsWith("execra-process-reaper"))
			.count();
	}

	private static long openFileDescriptors() throws IOException {
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			return fds.count();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
			DataJpaRepositoriesAutoConfiguration.class, ExecraJpaAutoConfiguration.class,
			ExecraAutoConfiguration.class })
	static class LoadApplication {

		@Bean
		FinalizedCounter finalizedCounter() {
			return new FinalizedCounter();
		}

	}

	static class FinalizedCounter {

		final AtomicInteger count = new AtomicInteger();

		@EventListener
		void on(Event.Finalized finalized) {
			this.count.incrementAndGet();
		}

	}


}
