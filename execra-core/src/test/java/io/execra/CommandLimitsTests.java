package io.execra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.execra.store.InMemoryJobStore;
import io.execra.store.JobCriteria;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bounds of {@link CommandLimits}, checked at spawn before anything is recorded or started, and commands at
 * exactly those bounds running.
 */
class CommandLimitsTests {

	private final InMemoryJobStore store = new InMemoryJobStore();

	private final AtomicInteger created = new AtomicInteger();

	private final ExecraRuntime runtime = ExecraRuntime.builder().store(this.store).listener(new ExecraListener() {

		@Override
		public void jobCreated(Job job) {
			CommandLimitsTests.this.created.incrementAndGet();
		}

	}).build();

	@TempDir
	Path directory;

	@AfterEach
	void close() {
		this.runtime.close();
	}

	@Test
	void aFifteenMillionCharacterArgumentIsRejectedAtOnceNamingTheLimitWithNothingRecordedOrStarted() {
		Path marker = this.directory.resolve("ran");
		String huge = "a".repeat(15_000_000);
		long start = System.nanoTime();
		assertThatThrownBy(() -> this.runtime.spawn(Command.of("touch", marker.toString(), huge)))
			.isInstanceOfSatisfying(CommandLimitExceededException.class,
					(ex) -> assertThat(ex.limit()).isEqualTo("MAX_ARGUMENT_BYTES"))
			.hasMessageContaining("argument 2 is at least 15000000 bytes")
			.hasMessageContaining(CommandLimits.MAX_ARGUMENT_BYTES + " bytes (CommandLimits.MAX_ARGUMENT_BYTES)");
		assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
		assertNothingRecordedOrStarted(marker);
	}

	@Test
	void argumentsTogetherPastTheBoundAreRejectedNamingTheLimit() {
		Path marker = this.directory.resolve("ran");
		List<String> args = new ArrayList<>(List.of(marker.toString()));
		for (int i = 0; i < 9; i++) {
			args.add("b".repeat(CommandLimits.MAX_ARGUMENT_BYTES));
		}
		assertThatThrownBy(() -> this.runtime.spawn(Command.of("touch", args)))
			.isInstanceOf(JobRejectedException.class)
			.hasMessageContaining("(CommandLimits.MAX_ARGV_ENV_BYTES)");
		assertNothingRecordedOrStarted(marker);
	}

	@Test
	void anOverlongEnvironmentValueIsRejectedNamingTheVariableNotItsValue() {
		Path marker = this.directory.resolve("ran");
		String secret = "s".repeat(CommandLimits.MAX_ARGUMENT_BYTES);
		assertThatThrownBy(() -> this.runtime.spawn(Command.of("touch", marker.toString()).env("TOKEN", secret)))
			.isInstanceOf(JobRejectedException.class)
			.hasMessageContaining("environment variable TOKEN")
			.hasMessageNotContaining("sss");
		assertNothingRecordedOrStarted(marker);
	}

	@Test
	void argumentsAtTheirBoundRun() throws Exception {
		String atBound = "é".repeat(CommandLimits.MAX_ARGUMENT_BYTES / 2) + "a";
		List<String> args = List.of(atBound, atBound, atBound, atBound, atBound, atBound, atBound);
		JobHandle job = this.runtime.spawn(Command.of("true", args));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		assertThat(job.snapshot().command().args()).containsExactlyElementsOf(args);
	}

	@Test
	void anOwnerPastTheBoundIsRejectedSoNoJobRunsWithoutHistory() {
		Path marker = this.directory.resolve("ran");
		assertThatThrownBy(() -> this.runtime.spawn(Command.of("touch", marker.toString()).owner("o".repeat(300))))
			.isInstanceOf(JobRejectedException.class)
			.hasMessageContaining("the owner is 300 characters long")
			.hasMessageContaining("(CommandLimits.MAX_OWNER_LENGTH)");
		assertNothingRecordedOrStarted(marker);
	}

	@Test
	void tooManyTagsOrAnOverlongTagAreRejected() {
		Path marker = this.directory.resolve("ran");
		List<String> tags = new ArrayList<>();
		for (int i = 0; i <= CommandLimits.MAX_TAGS; i++) {
			tags.add("t" + i);
		}
		assertThatThrownBy(() -> this.runtime.spawn(Command.of("touch", marker.toString()).tags(tags)))
			.isInstanceOf(JobRejectedException.class)
			.hasMessageContaining("(CommandLimits.MAX_TAGS)");
		assertThatThrownBy(() -> this.runtime.spawn(Command.of("touch", marker.toString()).tags("t".repeat(256))))
			.isInstanceOf(JobRejectedException.class)
			.hasMessageContaining("(CommandLimits.MAX_TAG_LENGTH)");
		assertNothingRecordedOrStarted(marker);
	}

	@Test
	void metadataPastItsBoundsIsRejected() {
		Path marker = this.directory.resolve("ran");
		Command command = Command.of("touch", marker.toString());
		Command many = command;
		for (int i = 0; i <= CommandLimits.MAX_METADATA_ENTRIES; i++) {
			many = many.metadata("k" + i, "v");
		}
		Command manyEntries = many;
		assertThatThrownBy(() -> this.runtime.spawn(manyEntries)).isInstanceOf(JobRejectedException.class)
			.hasMessageContaining("(CommandLimits.MAX_METADATA_ENTRIES)");
		assertThatThrownBy(() -> this.runtime.spawn(command.metadata("k".repeat(256), "v")))
			.isInstanceOf(JobRejectedException.class)
			.hasMessageContaining("(CommandLimits.MAX_METADATA_KEY_LENGTH)");
		assertThatThrownBy(() -> this.runtime.spawn(command.metadata("key", "v".repeat(4097))))
			.isInstanceOf(JobRejectedException.class)
			.hasMessageContaining("metadata value of 'key' is 4097 characters long")
			.hasMessageContaining("(CommandLimits.MAX_METADATA_VALUE_LENGTH)");
		assertNothingRecordedOrStarted(marker);
	}

	@Test
	void everyFieldAtItsBoundIsKept() throws Exception {
		List<String> tags = new ArrayList<>();
		for (int i = 0; i < CommandLimits.MAX_TAGS; i++) {
			tags.add(i + "t".repeat(CommandLimits.MAX_TAG_LENGTH - String.valueOf(i).length()));
		}
		Command command = Command.of("true")
			.owner("o".repeat(CommandLimits.MAX_OWNER_LENGTH))
			.label("l".repeat(CommandLimits.MAX_LABEL_LENGTH))
			.tags(tags);
		for (int i = 0; i < CommandLimits.MAX_METADATA_ENTRIES; i++) {
			command = command.metadata(i + "k".repeat(CommandLimits.MAX_METADATA_KEY_LENGTH - 2),
					"v".repeat(CommandLimits.MAX_METADATA_VALUE_LENGTH));
		}
		JobHandle job = this.runtime.spawn(command);
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
		Job stored = this.store.find(job.id()).orElseThrow();
		assertThat(stored.command().owner()).isEqualTo(command.owner());
		assertThat(stored.label()).isEqualTo(command.label());
		assertThat(stored.tags()).containsExactlyInAnyOrderElementsOf(tags);
		assertThat(stored.command().metadata()).isEqualTo(command.metadata());
	}

	@Test
	void anOverlongLabelIsCutToTheBoundNeverInsideASurrogatePair() throws Exception {
		JobHandle job = this.runtime.spawn(Command.of("true").label("l".repeat(2000)));
		assertThat(job.snapshot().label()).hasSize(CommandLimits.MAX_LABEL_LENGTH);
		assertThat(job.snapshot().command().label()).hasSize(CommandLimits.MAX_LABEL_LENGTH);
		String emoji = "x".repeat(CommandLimits.MAX_LABEL_LENGTH - 1) + "\uD83D\uDE00";
		assertThat(CommandLimits.truncatedLabel(emoji)).isEqualTo("x".repeat(CommandLimits.MAX_LABEL_LENGTH - 1));
		assertThat(job.await()).isInstanceOf(Outcome.Succeeded.class);
	}

	private void assertNothingRecordedOrStarted(Path marker) {
		assertThat(this.created).hasValue(0);
		assertThat(this.runtime.recent(10)).isEmpty();
		assertThat(this.store.count(JobCriteria.all())).isZero();
		assertThat(Files.exists(marker)).isFalse();
	}

}
