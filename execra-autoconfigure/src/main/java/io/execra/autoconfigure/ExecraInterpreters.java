package io.execra.autoconfigure;

import java.util.function.Supplier;

import io.execra.interpret.Interpreter;

/**
 * Resolves the interpreter names presets give.
 */
final class ExecraInterpreters implements ExecraInterpreterResolver {

	ExecraInterpreters(ExecraProperties properties) {
	}

	@Override
	public Supplier<? extends Interpreter> resolve(String name, String property) {
		throw new InvalidExecraPropertyException(property, name, "no interpreter of that name is known");
	}

}
