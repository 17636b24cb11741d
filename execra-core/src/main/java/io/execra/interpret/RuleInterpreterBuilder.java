package io.execra.interpret;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.execra.Severity;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link RuleInterpreter}. Rules are kept in the order they are added, and the first that matches a line
 * wins. Unlike the Rust {@code rules!} macro, the pattern comes <em>first</em> in every method. Patterns are
 * compiled by {@link #build()}, which names the rule if one is invalid. Not thread-safe; the built interpreter is.
 */
public final class RuleInterpreterBuilder {

	private @Nullable String name;

	private final List<RuleDefinition> rules = new ArrayList<>();

	private final List<NotesDefinition> notes = new ArrayList<>();

	private @Nullable FallbackDefinition fallback;

	private final Map<String, PhaseRange> phaseRanges = new LinkedHashMap<>();

	RuleInterpreterBuilder() {
	}

	/**
	 * Sets the name shown in {@code interpreter_error} events (default {@code rules}).
	 * @param name the name
	 * @return this builder
	 */
	public RuleInterpreterBuilder name(String name) {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("'name' must not be empty");
		}
		this.name = name;
		return this;
	}

	/**
	 * Adds a rule given as data.
	 * @param rule the rule
	 * @return this builder
	 */
	public RuleInterpreterBuilder rule(RuleDefinition rule) {
		if (rule == null) {
			throw new IllegalArgumentException("'rule' must not be null");
		}
		this.rules.add(rule);
		return this;
	}

	/**
	 * A line that is expected and says nothing: emit nothing, stop the search.
	 * @param pattern the regular expression
	 * @return this builder
	 */
	public RuleInterpreterBuilder benign(String pattern) {
		return rule(RuleDefinition.benign(pattern));
	}

	/**
	 * Indeterminate progress.
	 * @param pattern the regular expression
	 * @param hint the hint template, or {@code null}
	 * @return this builder
	 */
	public RuleInterpreterBuilder progress(String pattern, @Nullable String hint) {
		return rule(RuleDefinition.progress(pattern, hint));
	}

	/**
	 * A percentage (group 1 or {@code percent}), scaled into the current phase's range.
	 * @param pattern the regular expression
	 * @return this builder
	 */
	public RuleInterpreterBuilder percent(String pattern) {
		return rule(RuleDefinition.percent(pattern));
	}

	/**
	 * Megabytes done and in total (groups 1 and 2, or {@code done} and {@code total}), reported as a fraction
	 * scaled into the current phase's range; nothing if unparsable or the total is not positive.
	 * @param pattern the regular expression
	 * @return this builder
	 */
	public RuleInterpreterBuilder byteProgressMb(String pattern) {
		return rule(RuleDefinition.byteProgressMb(pattern));
	}

	/**
	 * Enters a phase, first exiting the one this interpreter opened before.
	 * @param pattern the regular expression
	 * @param name the phase name
	 * @param label the label template, or {@code null}
	 * @return this builder
	 */
	public RuleInterpreterBuilder enterPhase(String pattern, String name, @Nullable String label) {
		return rule(RuleDefinition.enterPhase(pattern, name, label));
	}

	/**
	 * Changes the job's label.
	 * @param pattern the regular expression
	 * @param text the label template
	 * @return this builder
	 */
	public RuleInterpreterBuilder label(String pattern, String text) {
		return rule(RuleDefinition.label(pattern, text));
	}

	/**
	 * Reports a warning.
	 * @param pattern the regular expression
	 * @param code the code, or {@code null}
	 * @param message the message template
	 * @return this builder
	 */
	public RuleInterpreterBuilder warning(String pattern, @Nullable String code, String message) {
		return rule(RuleDefinition.warning(pattern, code, message));
	}

	/**
	 * Reports a known error.
	 * @param pattern the regular expression
	 * @param code the code
	 * @param message the message template
	 * @return this builder
	 */
	public RuleInterpreterBuilder knownError(String pattern, String code, String message) {
		return rule(RuleDefinition.knownError(pattern, code, message));
	}

	/**
	 * Emits a finding.
	 * @param pattern the regular expression
	 * @param severity the severity
	 * @param code the code
	 * @param message the message template
	 * @return this builder
	 */
	public RuleInterpreterBuilder finding(String pattern, Severity severity, String code, String message) {
		return rule(RuleDefinition.finding(pattern, severity, code, message));
	}

	/**
	 * Sets the summary.
	 * @param pattern the regular expression
	 * @param message the summary template
	 * @return this builder
	 */
	public RuleInterpreterBuilder summary(String pattern, String message) {
		return rule(RuleDefinition.summary(pattern, message));
	}

	/**
	 * Reports a prompt.
	 * @param pattern the regular expression
	 * @param prompt the prompt template
	 * @return this builder
	 */
	public RuleInterpreterBuilder prompt(String pattern, String prompt) {
		return rule(RuleDefinition.prompt(pattern, prompt, null));
	}

	/**
	 * Reports a prompt and answers it through stdin (the command needs {@code Stdin.pipe()}).
	 * @param pattern the regular expression
	 * @param prompt the prompt template
	 * @param answer the answer template, written followed by a newline
	 * @return this builder
	 */
	public RuleInterpreterBuilder prompt(String pattern, String prompt, String answer) {
		return rule(RuleDefinition.prompt(pattern, prompt, answer));
	}

	/**
	 * Adds a notes block.
	 * @param trigger the text that opens the block
	 * @param code the code of the emitted finding
	 * @return this builder
	 */
	public RuleInterpreterBuilder notes(String trigger, String code) {
		this.notes.add(new NotesDefinition(trigger, code));
		return this;
	}

	/**
	 * Turns on the fallback with code {@code command_error}.
	 * @return this builder
	 */
	public RuleInterpreterBuilder fallback() {
		return fallback(FallbackDefinition.DEFAULT);
	}

	/**
	 * Turns on the fallback with the given code.
	 * @param code the code of the known error
	 * @return this builder
	 */
	public RuleInterpreterBuilder fallback(String code) {
		return fallback(FallbackDefinition.withCode(code));
	}

	/**
	 * Sets the fallback.
	 * @param fallback the fallback, or {@code null} for none
	 * @return this builder
	 */
	public RuleInterpreterBuilder fallback(@Nullable FallbackDefinition fallback) {
		this.fallback = fallback;
		return this;
	}

	/**
	 * Sets the part of the overall progress a phase covers.
	 * @param phase the phase name
	 * @param start the fraction at its start
	 * @param end the fraction at its end
	 * @return this builder
	 */
	public RuleInterpreterBuilder phaseRange(String phase, double start, double end) {
		if (phase == null || phase.isEmpty()) {
			throw new IllegalArgumentException("'phase' must not be empty");
		}
		this.phaseRanges.put(phase, new PhaseRange(start, end));
		return this;
	}

	/**
	 * The definition built so far, as data.
	 * @return the definition
	 */
	public RuleInterpreterDefinition toDefinition() {
		return new RuleInterpreterDefinition(this.name, this.rules, this.notes, this.fallback, this.phaseRanges);
	}

	/**
	 * Compiles the rules.
	 * @return the immutable, thread-safe interpreter factory
	 * @throws InvalidRuleException naming the first invalid rule
	 */
	public RuleInterpreter build() {
		return RuleInterpreter.from(toDefinition());
	}

}
