package io.execra.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.execra.interpret.FallbackDefinition;
import io.execra.interpret.Interpreter;
import io.execra.interpret.Interpreters;
import io.execra.interpret.InvalidRuleException;
import io.execra.interpret.NotesDefinition;
import io.execra.interpret.PhaseRange;
import io.execra.interpret.RuleDefinition;
import io.execra.interpret.RuleInterpreter;
import io.execra.interpret.RuleInterpreterDefinition;

/**
 * The interpreters presets can name: the rule interpreters of {@code execra.interpreters.*}, compiled up front so
 * that a bad rule fails at startup with its property's name, and the built-in ones of {@link Interpreters}.
 */
final class ExecraInterpreters implements ExecraInterpreterResolver {

	private final Map<String, RuleInterpreter> configured = new LinkedHashMap<>();

	/**
	 * Compiles the configured rule interpreters.
	 * @param interpreters the interpreters by name
	 * @throws InvalidExecraPropertyException naming the first bad property
	 */
	ExecraInterpreters(Map<String, ExecraInterpreterProperties> interpreters) {
		interpreters.forEach((name, properties) -> this.configured.put(name, compile(name, properties)));
	}

	@Override
	public Supplier<? extends Interpreter> resolve(String name, String property) {
		RuleInterpreter rules = this.configured.get(name);
		if (rules != null) {
			return rules;
		}
		if (Interpreters.names().contains(name)) {
			return Interpreters.byName(name);
		}
		throw new InvalidExecraPropertyException(property, name, "no interpreter of that name; built-in: "
				+ Interpreters.names() + ", configured under execra.interpreters: " + this.configured.keySet());
	}

	private static RuleInterpreter compile(String name, ExecraInterpreterProperties properties) {
		String prefix = "execra.interpreters." + name;
		List<RuleDefinition> rules = new ArrayList<>();
		for (int i = 0; i < properties.getRules().size(); i++) {
			rules.add(rule(properties.getRules().get(i), prefix + ".rules[" + i + "]"));
		}
		List<NotesDefinition> notes = new ArrayList<>();
		for (int i = 0; i < properties.getNotes().size(); i++) {
			ExecraInterpreterProperties.Notes block = properties.getNotes().get(i);
			String property = prefix + ".notes[" + i + "]";
			notes.add(definition(property, () -> new NotesDefinition(block.getTrigger(), block.getCode())));
		}
		Map<String, PhaseRange> ranges = new LinkedHashMap<>();
		properties.getPhaseRanges().forEach((phase, range) -> ranges.put(phase,
				definition(prefix + ".phase-ranges." + phase, () -> new PhaseRange(range.getStart(), range.getEnd()))));
		ExecraInterpreterProperties.Fallback fallback = properties.getFallback();
		FallbackDefinition fallbackDefinition = fallback.isEnabled() ? definition(prefix + ".fallback.code",
				() -> new FallbackDefinition(fallback.getCode(), fallback.isFailedLine(), fallback.isLastStderrLine()))
				: null;
		try {
			return RuleInterpreter.from(new RuleInterpreterDefinition(name, rules, notes, fallbackDefinition, ranges));
		}
		catch (InvalidRuleException ex) {
			throw new InvalidExecraPropertyException(prefix + ".rules[" + ex.index() + "]", null, ex.getMessage(), ex);
		}
	}

	private static RuleDefinition rule(ExecraInterpreterProperties.Rule rule, String property) {
		if (rule.getType() == null) {
			throw new InvalidExecraPropertyException(property + ".type", null, "a rule type is required");
		}
		String pattern = rule.getPattern();
		if (pattern == null || pattern.isEmpty()) {
			throw new InvalidExecraPropertyException(property + ".pattern", pattern, "a pattern is required");
		}
		ExecraRegexes.compile(pattern, property + ".pattern");
		return RuleDefinition.of(rule.getType(), pattern, rule.getName(), rule.getLabel(), rule.getCode(),
				rule.getMessage(), rule.getHint(), rule.getSeverity(), rule.getAnswer());
	}

	private static <T> T definition(String property, Supplier<T> definition) {
		try {
			return definition.get();
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidExecraPropertyException(property, null, ex.getMessage(), ex);
		}
	}

}
