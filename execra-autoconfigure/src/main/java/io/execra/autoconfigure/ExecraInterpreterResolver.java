package io.execra.autoconfigure;

import java.util.function.Supplier;

import io.execra.interpret.Interpreter;

/**
 * Finds an interpreter by the name a preset gives.
 */
@FunctionalInterface
interface ExecraInterpreterResolver {

	/**
	 * Resolves an interpreter name.
	 * @param name the name
	 * @param property the full name of the property naming it, for the error
	 * @return a factory of fresh interpreters, one per spawn
	 * @throws InvalidExecraPropertyException if no interpreter has that name
	 */
	Supplier<? extends Interpreter> resolve(String name, String property);

}
