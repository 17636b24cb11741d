package io.execra.interpret;

import io.execra.ExitStatus;

/**
 * Turns a tool's output into typed events: phases, progress, labels, warnings, known errors, findings, prompts
 * and a summary, emitted through the {@link InterpreterContext}.
 * <p>
 * The runtime calls {@link #onLine} serially, one line at a time, in the order lines were read, and
 * {@link #onExit} once, after the process exited and its output was drained, before the job is finalized. An
 * exception thrown by either becomes an {@code interpreter_error} event and disables the interpreter for the
 * rest of the job; the process keeps running.
 * <p>
 * An interpreter may keep state for the job it serves; give a command a {@code Supplier} to get a fresh instance
 * per spawn.
 */
@FunctionalInterface
public interface Interpreter {

	/**
	 * Called for each output line.
	 * @param line the line
	 * @param context where to emit events
	 */
	void onLine(Line line, InterpreterContext context);

	/**
	 * Called once after the process exited and its output was drained.
	 * @param exit how the process ended
	 * @param context where to emit events
	 */
	default void onExit(ExitStatus exit, InterpreterContext context) {
	}

	/**
	 * The name shown in {@code interpreter_error} events.
	 * @return the name
	 */
	default String name() {
		String simple = getClass().getSimpleName();
		return simple.isEmpty() ? "interpreter" : simple;
	}

}
