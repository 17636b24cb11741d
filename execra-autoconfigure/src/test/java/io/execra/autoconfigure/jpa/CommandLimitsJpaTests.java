package io.execra.autoconfigure.jpa;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import io.execra.Command;
import io.execra.CommandLimits;
import io.execra.ExecraRuntime;
import io.execra.Job;
import io.execra.JobHandle;
import io.execra.Outcome;
import io.execra.store.JobStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command with every field at its {@link CommandLimits} bound, in characters that take more than one byte, and
 * the longest timeout there is, runs and is kept whole by the JPA store on each database: the columns and the
 * limits agree.
 */
class CommandLimitsJpaTests {

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql", "mariadb" })
	void aCommandAtEveryBoundIsKeptWholeInHistory(String platform) throws Exception {
		TestDatabase database = TestDatabase.named(platform);
		String prefix = TestDatabase.uniqueTablePrefix();
		try (ConfigurableApplicationContext context = database.start(prefix)) {
			JobStore store = context.getBean(JobStore.class);
			try (ExecraRuntime runtime = ExecraRuntime.builder()
				.store(store)
				.nodeId("limits-" + UUID.randomUUID())
				.build()) {
				Command command = atEveryBound();
				JobHandle job = runtime.spawn(command.label("ł".repeat(CommandLimits.MAX_LABEL_LENGTH + 100)));
				assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
				Job stored = store.find(job.id()).orElseThrow();
				assertThat(stored.command().owner()).isEqualTo(command.owner());
				assertThat(stored.label()).isEqualTo("ł".repeat(CommandLimits.MAX_LABEL_LENGTH));
				assertThat(stored.tags()).containsExactlyInAnyOrderElementsOf(command.tags());
				assertThat(stored.command().metadata()).isEqualTo(command.metadata());
				assertThat(stored.command().args()).isEqualTo(command.args());
				assertThat(stored.command().timeout()).isEqualTo(command.timeout());
				assertThat(runtime.jobs().owner(command.owner()).list()).extracting(Job::id).containsExactly(job.id());
			}
			finally {
				TestDatabase.dropTables(context.getBean(DataSource.class), prefix);
			}
		}
	}

	private static Command atEveryBound() {
		List<String> tags = new ArrayList<>();
		for (int i = 0; i < CommandLimits.MAX_TAGS; i++) {
			tags.add(i + "ü".repeat(CommandLimits.MAX_TAG_LENGTH - String.valueOf(i).length()));
		}
		String argument = "é".repeat(CommandLimits.MAX_ARGUMENT_BYTES / 2) + "a";
		Command command = Command.of("true", argument, argument, argument)
			.owner("ö".repeat(CommandLimits.MAX_OWNER_LENGTH))
			.tags(tags)
			.timeout(Duration.ofSeconds(Long.MAX_VALUE));
		for (int i = 0; i < CommandLimits.MAX_METADATA_ENTRIES; i++) {
			command = command.metadata(i + "k".repeat(CommandLimits.MAX_METADATA_KEY_LENGTH - 2),
					"v".repeat(CommandLimits.MAX_METADATA_VALUE_LENGTH));
		}
		return command;
	}

}
