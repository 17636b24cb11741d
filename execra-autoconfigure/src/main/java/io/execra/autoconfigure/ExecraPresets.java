package io.execra.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.execra.CommandTemplate;
import io.execra.Stdin;
import io.execra.interpret.Interpreter;
import org.jspecify.annotations.Nullable;

/**
 * Turns {@code execra.commands.*} into {@link CommandTemplate}s, grouped by the runtime that gets them, and checks
 * them up front: the program, the placeholder syntax and rules, the runtime and the interpreter.
 */
final class ExecraPresets {

	private final Map<String, List<CommandTemplate>> byRuntime;

	/**
	 * Reads and checks the presets.
	 * @param commands the presets by name
	 * @param runtimeNames the names of the named runtimes
	 * @param interpreters resolves an interpreter name
	 * @throws InvalidExecraPropertyException naming the first bad property
	 */
	ExecraPresets(Map<String, ExecraCommandProperties> commands, Set<String> runtimeNames,
			ExecraInterpreterResolver interpreters) {
		Map<String, List<CommandTemplate>> byRuntime = new LinkedHashMap<>();
		commands.forEach((name, command) -> {
			String runtime = runtimeOf(name, command, runtimeNames);
			byRuntime.computeIfAbsent(runtime, (key) -> new ArrayList<>()).add(template(name, command, interpreters));
		});
		this.byRuntime = byRuntime;
	}

	/**
	 * The presets of a runtime.
	 * @param runtimeName the runtime's name, {@link ExecraProperties#DEFAULT_RUNTIME_NAME} for the default one
	 * @return its presets
	 */
	List<CommandTemplate> forRuntime(String runtimeName) {
		return this.byRuntime.getOrDefault(runtimeName, List.of());
	}

	private static String runtimeOf(String name, ExecraCommandProperties command, Set<String> runtimeNames) {
		String runtime = command.getRuntime();
		if (runtime == null || runtime.equals(ExecraProperties.DEFAULT_RUNTIME_NAME)) {
			return ExecraProperties.DEFAULT_RUNTIME_NAME;
		}
		if (!runtimeNames.contains(runtime)) {
			throw new InvalidExecraPropertyException(property(name, "runtime"), runtime,
					"no runtime of that name is configured (execra.runtimes: " + runtimeNames + ")");
		}
		return runtime;
	}

	private static CommandTemplate template(String name, ExecraCommandProperties command,
			ExecraInterpreterResolver interpreters) {
		String program = command.getProgram();
		if (program == null || program.isBlank()) {
			throw new InvalidExecraPropertyException(property(name, "program"), program, "a program is required");
		}
		if (program.contains("{") || program.contains("}")) {
			throw new InvalidExecraPropertyException(property(name, "program"), program,
					"the program cannot contain placeholders; put them in the arguments");
		}
		List<String> args = command.getArgs();
		for (int i = 0; i < args.size(); i++) {
			checkPlaceholders(args.get(i), property(name, "args[" + i + "]"));
		}
		command.getEnv().forEach((variable, value) -> {
			if (variable.isEmpty() || variable.indexOf('=') >= 0) {
				throw new InvalidExecraPropertyException(property(name, "env"), variable,
						"not a valid environment variable name");
			}
			checkPlaceholders(value, property(name, "env." + variable));
		});
		checkPlaceholders(command.getCwd(), property(name, "cwd"));
		checkPlaceholders(command.getLabel(), property(name, "label"));
		if (command.getTimeout() != null && (command.getTimeout().isNegative() || command.getTimeout().isZero())) {
			throw new InvalidExecraPropertyException(property(name, "timeout"), command.getTimeout(),
					"must be positive");
		}
		Supplier<? extends Interpreter> interpreter = null;
		if (command.getInterpreter() != null) {
			interpreter = interpreters.resolve(command.getInterpreter(), property(name, "interpreter"));
		}
		CommandTemplate template;
		try {
			template = new CommandTemplate(name, program, args, command.getEnv(), command.getCwd(),
					command.getLabel(), command.getTags(), command.getTimeout(), command.getSuccessExitCodes(),
					interpreter,
					(command.getStdin() == ExecraCommandProperties.StdinMode.PIPE) ? Stdin.pipe() : Stdin.none());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidExecraPropertyException("execra.commands." + name, null, ex.getMessage(), ex);
		}
		return ExecraPlaceholderRules.apply(template, command.getPlaceholders())
			.withRestartable(command.isRestartable())
			.withPriority(command.getPriority());
	}

	/** Checks the syntax up front so that the failure names the exact property. */
	private static void checkPlaceholders(@Nullable String template, String property) {
		if (template == null) {
			return;
		}
		try {
			CommandTemplate.checkSyntax(template);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidExecraPropertyException(property, template, ex.getMessage());
		}
	}

	private static String property(String preset, String property) {
		return "execra.commands." + preset + "." + property;
	}

}
