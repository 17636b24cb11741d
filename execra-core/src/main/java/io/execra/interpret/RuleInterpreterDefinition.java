package io.execra.interpret;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A whole {@link RuleInterpreter} as plain data, e.g. bound from {@code execra.interpreters.<name>.*}; turn it
 * into an interpreter factory with {@link RuleInterpreter#from(RuleInterpreterDefinition)}.
 *
 * @param name the name shown in {@code interpreter_error} events, or {@code null} for {@code rules}
 * @param rules the rules, in order: the first that matches a line wins
 * @param notes notes blocks, looked for before the rules
 * @param fallback the known error reported on failure when no rule reported one, or {@code null} for none
 * @param phaseRanges the part of the overall progress each phase covers, by phase name
 */
public record RuleInterpreterDefinition(@Nullable String name, List<RuleDefinition> rules,
		List<NotesDefinition> notes, @Nullable FallbackDefinition fallback, Map<String, PhaseRange> phaseRanges) {

	public RuleInterpreterDefinition {
		if (name != null && name.isBlank()) {
			throw new IllegalArgumentException("'name' must not be blank");
		}
		rules = (rules != null) ? List.copyOf(rules) : List.of();
		notes = (notes != null) ? List.copyOf(notes) : List.of();
		phaseRanges = (phaseRanges != null) ? Map.copyOf(new LinkedHashMap<>(phaseRanges)) : Map.of();
	}

	/**
	 * A definition with rules only: no notes, no fallback, no phase ranges.
	 * @param rules the rules
	 * @return the definition
	 */
	public static RuleInterpreterDefinition ofRules(List<RuleDefinition> rules) {
		return new RuleInterpreterDefinition(null, rules, List.of(), null, Map.of());
	}

}
