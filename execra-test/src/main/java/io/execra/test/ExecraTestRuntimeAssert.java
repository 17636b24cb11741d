package io.execra.test;

import java.util.List;
import java.util.Objects;

import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the commands an {@link ExecraTestRuntime} was asked to run.
 */
public class ExecraTestRuntimeAssert extends AbstractAssert<ExecraTestRuntimeAssert, ExecraTestRuntime> {

	ExecraTestRuntimeAssert(ExecraTestRuntime actual) {
		super(actual, ExecraTestRuntimeAssert.class);
	}

	/**
	 * Checks that nothing was spawned.
	 * @return this
	 */
	public ExecraTestRuntimeAssert spawnedNothing() {
		isNotNull();
		if (!this.actual.spawned().isEmpty()) {
			failWithMessage("Expected no command to be spawned, but %s were: %s", this.actual.spawned().size(),
					describe(this.actual.spawned()));
		}
		return this;
	}

	/**
	 * Checks how many commands were spawned.
	 * @param count the expected number
	 * @return this
	 */
	public ExecraTestRuntimeAssert spawnedCount(int count) {
		isNotNull();
		if (this.actual.spawned().size() != count) {
			failWithMessage("Expected %s spawned commands but found %s: %s", count, this.actual.spawned().size(),
					describe(this.actual.spawned()));
		}
		return this;
	}

	/**
	 * Checks that a preset was spawned, and moves on to its last spawn.
	 * @param preset the preset's name
	 * @return assertions on the last command spawned from it
	 */
	public SpawnedCommandAssert spawnedPreset(String preset) {
		isNotNull();
		List<SpawnedCommand> matching = this.actual.spawned()
			.stream()
			.filter((spawned) -> preset.equals(spawned.preset()))
			.toList();
		if (matching.isEmpty()) {
			failWithMessage("Expected preset '%s' to be spawned, but the spawned commands were: %s", preset,
					describe(this.actual.spawned()));
		}
		return new SpawnedCommandAssert(matching.get(matching.size() - 1));
	}

	/**
	 * Checks that a program was spawned, and moves on to its last spawn.
	 * @param program the program as the command names it
	 * @return assertions on the last command that ran it
	 */
	public SpawnedCommandAssert spawnedProgram(String program) {
		isNotNull();
		List<SpawnedCommand> matching = this.actual.spawned()
			.stream()
			.filter((spawned) -> Objects.equals(program, spawned.command().program()))
			.toList();
		if (matching.isEmpty()) {
			failWithMessage("Expected program '%s' to be spawned, but the spawned commands were: %s", program,
					describe(this.actual.spawned()));
		}
		return new SpawnedCommandAssert(matching.get(matching.size() - 1));
	}

	private static List<List<String>> describe(List<SpawnedCommand> spawned) {
		return spawned.stream().map(SpawnedCommand::argv).toList();
	}

}
