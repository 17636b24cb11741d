package io.execra.autoconfigure.jpa;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import io.execra.Event;
import io.execra.Job;
import io.execra.store.JobStore;
import io.execra.store.JobStoreFixtures;
import io.execra.store.PruneCriteria;
import io.execra.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.execra.store.JobStoreFixtures.at;
import static io.execra.store.JobStoreFixtures.newId;
import static io.execra.store.JobStoreFixtures.queued;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Checks that the {@link JpaJobStore} writes in JDBC batches and reads no more than it must: it counts the statements
 * the store sends, one by one ({@code executeUpdate}), in batches ({@code executeBatch}) and as queries
 * ({@code executeQuery}).
 */
class JpaJobStoreBatchingTests {

	private static final int JOBS = 200;

	private final String tablePrefix = TestDatabase.uniqueTablePrefix();

	private ConfigurableApplicationContext context;

	private JobStore store;

	@BeforeEach
	void start() {
		this.context = TestDatabase.h2()
			.start(this.tablePrefix, "spring.main.sources=" + CountingConfiguration.class.getName(),
					"execra.jdbc.batch-size=50");
		this.store = this.context.getBean(JobStore.class);
		StatementCounter.reset();
	}

	@AfterEach
	void close() {
		this.context.close();
	}

	@Test
	void insertsOfJobsAndTheirTagsAreBatched() {
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < JOBS; i++) {
			jobs.add(queued(newId(), "n", at(i), "owner", "a", "b"));
		}
		this.store.upsert(jobs);
		// 200 jobs and 400 tags in batches of 50
		assertThat(StatementCounter.batches.get()).isBetween(12, 14);
		assertThat(StatementCounter.updates.get()).isZero();
	}

	@Test
	void updatesOfJobsAreBatched() {
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < JOBS; i++) {
			jobs.add(queued(newId(), "n", at(i), null));
		}
		this.store.upsert(jobs);
		StatementCounter.reset();
		this.store.upsert(jobs.stream().map((job) -> JobStoreFixtures.running(job, at(1000))).toList());
		assertThat(StatementCounter.batches.get()).isEqualTo(JOBS / 50);
		assertThat(StatementCounter.updates.get()).isZero();
	}

	@Test
	void appendsOfEventsAndFindingsAreBatched() {
		List<Job> jobs = new ArrayList<>();
		List<Event> events = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			Job job = queued(newId(), "n", at(i), null);
			jobs.add(job);
			events.addAll(JobStoreFixtures.history(job.id()));
		}
		this.store.upsert(jobs);
		StatementCounter.reset();
		this.store.append(events);
		// 300 events and 20 findings
		assertThat(StatementCounter.batches.get()).isBetween(7, 8);
		assertThat(StatementCounter.updates.get()).isZero();
	}

	@Test
	void eventsOfAJobThisStoreWroteAreAppendedWithoutAskingWhetherTheJobExists() {
		Job job = queued(newId(), "n", at(0), null);
		this.store.upsert(List.of(job));
		List<Event> history = JobStoreFixtures.history(job.id());
		this.store.append(history.subList(0, 5));
		StatementCounter.reset();
		this.store.append(history.subList(5, 10));
		// only which of these seqs are stored already, for a retried batch
		assertThat(StatementCounter.queries.get()).isOne();
		assertThat(this.store.events(job.id(), 0, 100)).hasSize(10);
	}

	@Test
	void eventsOfAJobPrunedByAnotherInstanceSinceThisStoreWroteItAreRefusedAndTheRestStays() {
		Job pruned = queued(newId(), "n", at(0), null);
		Job kept = queued(newId(), "n", at(5000), null);
		this.store.upsert(List.of(pruned, kept));
		JdbcTemplate otherInstance = new JdbcTemplate(this.context.getBean(DataSource.class));
		assertThat(otherInstance.update("DELETE FROM " + this.tablePrefix + "JOB WHERE ID = ?", pruned.id().toString()))
			.isOne();
		List<Event> late = JobStoreFixtures.history(pruned.id()).subList(0, 2);
		assertThatExceptionOfType(StoreException.class).isThrownBy(() -> this.store.append(late));
		assertThat(this.store.events(pruned.id(), 0, 100)).isEmpty();
		this.store.append(JobStoreFixtures.history(kept.id()).subList(0, 2));
		assertThat(this.store.events(kept.id(), 0, 100)).hasSize(2);
	}

	@Test
	void pruneDeletesWithAFewStatementsPerBatch() {
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			jobs.add(JobStoreFixtures.done("n", 0, i, JobStoreFixtures.succeeded()));
		}
		this.store.upsert(jobs);
		StatementCounter.reset();
		assertThat(this.store.prune(new PruneCriteria(at(1000), null, 0, null), 100)).hasSize(100);
		// findings and events by id list, then tags and jobs in batches
		assertThat(StatementCounter.updates.get()).isEqualTo(2);
		assertThat(StatementCounter.batches.get()).isBetween(4, 6);
	}

	/**
	 * Counts what is executed through the store's data source.
	 */
	static final class StatementCounter implements InvocationHandler {

		static final AtomicInteger batches = new AtomicInteger();

		static final AtomicInteger updates = new AtomicInteger();

		static final AtomicInteger queries = new AtomicInteger();

		private final Object target;

		private StatementCounter(Object target) {
			this.target = target;
		}

		static void reset() {
			batches.set(0);
			updates.set(0);
			queries.set(0);
		}

		static <T> T wrap(T target, Class<T> type) {
			return type.cast(Proxy.newProxyInstance(StatementCounter.class.getClassLoader(), new Class<?>[] { type },
					new StatementCounter(target)));
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			if (method.getName().equals("executeBatch")) {
				batches.incrementAndGet();
			}
			else if (method.getName().equals("executeUpdate") || method.getName().equals("executeLargeUpdate")) {
				updates.incrementAndGet();
			}
			else if (method.getName().equals("executeQuery")) {
				queries.incrementAndGet();
			}
			try {
				Object result = method.invoke(this.target, args);
				if (result instanceof Connection connection) {
					return wrap(connection, Connection.class);
				}
				if (result instanceof PreparedStatement statement) {
					return wrap(statement, PreparedStatement.class);
				}
				if (result instanceof Statement statement) {
					return wrap(statement, Statement.class);
				}
				return result;
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CountingConfiguration {

		@Bean
		static BeanPostProcessor countingDataSource() {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					return (bean instanceof DataSource dataSource) ? StatementCounter.wrap(dataSource, DataSource.class)
							: bean;
				}

			};
		}

	}

}
