package io.execra.test;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one command an {@link ExecraTestRuntime} was asked to run: its rendered arguments, the preset
 * parameters it came from, and its label, owner and tags.
 */
public class SpawnedCommandAssert extends AbstractAssert<SpawnedCommandAssert, SpawnedCommand> {

	SpawnedCommandAssert(SpawnedCommand actual) {
		super(actual, SpawnedCommandAssert.class);
	}

	/**
	 * Checks the rendered arguments, exactly and in order.
	 * @param args the expected arguments (after the program)
	 * @return this
	 */
	public SpawnedCommandAssert hasArguments(String... args) {
		isNotNull();
		if (!this.actual.command().args().equals(Arrays.asList(args))) {
			failWithMessage("Expected arguments %s but were %s", Arrays.asList(args), this.actual.command().args());
		}
		return this;
	}

	/**
	 * Checks that one rendered argument is exactly this text.
	 * @param arg the argument
	 * @return this
	 */
	public SpawnedCommandAssert hasArgument(String arg) {
		isNotNull();
		if (!this.actual.command().args().contains(arg)) {
			failWithMessage("Expected an argument '%s' among %s", arg, this.actual.command().args());
		}
		return this;
	}

	/**
	 * Checks a preset parameter as it was passed.
	 * @param name the placeholder
	 * @param value the value
	 * @return this
	 */
	public SpawnedCommandAssert hasParameter(String name, String value) {
		isNotNull();
		if (!Objects.equals(this.actual.parameters().get(name), value)) {
			failWithMessage("Expected parameter '%s' to be '%s' but the parameters were %s", name, value,
					this.actual.parameters());
		}
		return this;
	}

	/**
	 * Checks the label.
	 * @param label the label
	 * @return this
	 */
	public SpawnedCommandAssert hasLabel(String label) {
		isNotNull();
		if (!Objects.equals(this.actual.command().label(), label)) {
			failWithMessage("Expected label '%s' but was '%s'", label, this.actual.command().label());
		}
		return this;
	}

	/**
	 * Checks the owner.
	 * @param owner the owner
	 * @return this
	 */
	public SpawnedCommandAssert hasOwner(String owner) {
		isNotNull();
		if (!Objects.equals(this.actual.command().owner(), owner)) {
			failWithMessage("Expected owner '%s' but was '%s'", owner, this.actual.command().owner());
		}
		return this;
	}

	/**
	 * Checks that the command carries these tags (among others).
	 * @param tags the tags
	 * @return this
	 */
	public SpawnedCommandAssert hasTags(String... tags) {
		isNotNull();
		List<String> expected = Arrays.asList(tags);
		if (!this.actual.command().tags().containsAll(expected)) {
			failWithMessage("Expected tags %s among %s", expected, this.actual.command().tags());
		}
		return this;
	}

}
