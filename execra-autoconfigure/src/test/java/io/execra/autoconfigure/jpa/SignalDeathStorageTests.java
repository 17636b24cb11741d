package io.execra.autoconfigure.jpa;

import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import io.execra.Command;
import io.execra.ExecraRuntime;
import io.execra.ExitStatus;
import io.execra.FailureReason;
import io.execra.Job;
import io.execra.JobHandle;
import io.execra.Outcome;
import io.execra.interpret.Interpreters;
import io.execra.store.JobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job that writes an error-looking stderr line and is then killed by a signal, under each built-in interpreter, is
 * stored in the JPA store (PostgreSQL when configured, else H2) as {@code Failed(Signaled)}, not as a known error.
 */
class SignalDeathStorageTests {

	private static final String ENCODER_STATISTICS = "cpb: bitrate max/min/avg: 0/0/2000000 buffer size: 0";

	private static String prefix;

	private static ConfigurableApplicationContext context;

	@BeforeAll
	static void startStore() {
		TestDatabase postgresql = TestDatabase.postgresqlIfAvailable();
		TestDatabase database = (postgresql != null) ? postgresql : TestDatabase.h2();
		prefix = TestDatabase.uniqueTablePrefix();
		context = database.start(prefix);
	}

	@AfterAll
	static void dropTables() {
		TestDatabase.dropTables(context.getBean(DataSource.class), prefix);
		context.close();
	}

	static Iterable<String> interpreters() {
		return Interpreters.names();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("interpreters")
	void jobKilledBySignalIsStoredSignaled(String interpreter) throws Exception {
		JobStore store = context.getBean(JobStore.class);
		try (ExecraRuntime runtime = ExecraRuntime.builder().store(store).build()) {
			JobHandle handle = runtime.spawn(Command.of("sh", "-c", "echo '" + ENCODER_STATISTICS + "' >&2; kill -KILL $$")
				.interpreter(Interpreters.byName(interpreter)));
			handle.outcome().get(30, TimeUnit.SECONDS);
			// a store query first waits for the store writer, so the terminal state is durable
			runtime.jobs().count();
			Job stored = store.find(handle.id()).orElseThrow();
			assertThat(stored.exit()).isEqualTo(ExitStatus.ofSignal(9));
			assertThat(stored.outcome()).as("stored outcome under %s", interpreter)
				.isEqualTo(new Outcome.Failed(new FailureReason.Signaled(9)));
		}
	}

}
