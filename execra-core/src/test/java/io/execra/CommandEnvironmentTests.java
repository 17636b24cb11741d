package io.execra;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command's environment changes: applied in order to the inherited environment, the later change of a name
 * winning, and shown in its spec by name only.
 */
class CommandEnvironmentTests {

	private static final Map<String, String> INHERITED = Map.of("HOME", "/home/me", "PATH", "/bin", "LANG", "C");

	@Test
	void changesApplyInOrderToTheInheritedEnvironment() {
		Command command = Command.of("true").env("A", "1").envRemove("HOME").env("A", "2").env("HOME", "/tmp")
			.envRemove("LANG");
		assertThat(command.environment(INHERITED))
			.containsExactlyInAnyOrderEntriesOf(Map.of("A", "2", "HOME", "/tmp", "PATH", "/bin"));
		assertThat(command.envChanges()).containsExactly(new SimpleImmutableEntry<>("A", "1"),
				new SimpleImmutableEntry<>("HOME", null), new SimpleImmutableEntry<>("A", "2"),
				new SimpleImmutableEntry<>("HOME", "/tmp"), new SimpleImmutableEntry<>("LANG", null));
	}

	@Test
	void aClearedEnvironmentKeepsOnlyWhatTheCommandSets() {
		Command command = Command.of("true").env("A", "1").envRemove("PATH").envClear();
		assertThat(command.environment(INHERITED)).containsExactly(Map.entry("A", "1"));
		assertThat(command.spec().envClear()).isTrue();
	}

	@Test
	void theSpecNamesTheVariablesSetAndRemovedByTheirLastChange() {
		Command command = Command.of("true").env("A", "1").env("B", "2").envRemove("A").envRemove("C").env("C", "3")
			.env("A", "4");
		assertThat(command.spec().envKeys()).containsExactly("B", "C", "A");
		assertThat(command.spec().envRemoved()).isEmpty();
		Command removing = command.envRemove("B");
		assertThat(removing.spec().envKeys()).containsExactly("C", "A");
		assertThat(removing.spec().envRemoved()).containsExactly("B");
		assertThat(command.spec().envKeys()).as("the original command is unchanged").containsExactly("B", "C", "A");
	}

}
