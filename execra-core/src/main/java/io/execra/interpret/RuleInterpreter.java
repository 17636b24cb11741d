package io.execra.interpret;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The table-driven interpreter: ordered regex rules, notes blocks, phase ranges and a failure fallback, with
 * execra's rule semantics.
 * <p>
 * A {@code RuleInterpreter} is the compiled, immutable and thread-safe rule set; it is a {@link Supplier} of
 * {@link Interpreter}s, and each {@link #newInterpreter()} holds the state of one job (open phase, notes block,
 * lines remembered for the fallback). Hand it to {@code Command.interpreter(Supplier)} and every spawn gets its
 * own:
 *
 * <pre>{@code
 * RuleInterpreter rules = RuleInterpreter.builder()
 *         .benign("^\\s*$")
 *         .enterPhase("^Downloading (\\S+)", "download", "Downloading $1")
 *         .byteProgressMb("([\\d.]+) MB / ([\\d.]+) MB")
 *         .warning("^WARN: (?<msg>.*)", "tool_warning", "${msg}")
 *         .knownError("^ERROR: disk full", "disk_full", "The disk is full")
 *         .notes("Notes:", "release_notes")
 *         .phaseRange("download", 0.0, 0.5)
 *         .fallback()
 *         .build();
 * runtime.spawn(Command.of("tool").interpreter(rules));
 * }</pre>
 * <p>
 * Per line: notes first (see {@link NotesDefinition}); then an empty line is skipped; then the rules are tried in
 * order against the line's text (never its stream) and the first whose pattern is found wins; a {@code benign}
 * rule emits nothing and ends the search. At exit: the notes block is flushed, the phase this interpreter opened
 * is closed (reporting the end of its range), then the fallback runs (see {@link FallbackDefinition}).
 */
public final class RuleInterpreter implements Supplier<Interpreter> {

	/** The name used when a definition has none. */
	public static final String DEFAULT_NAME = "rules";

	private final RuleInterpreterDefinition definition;

	private final String name;

	private final List<CompiledRule> rules;

	private final @Nullable FirstCharDispatch dispatch;

	private RuleInterpreter(RuleInterpreterDefinition definition, List<CompiledRule> rules) {
		this.definition = definition;
		this.name = (definition.name() != null) ? definition.name() : DEFAULT_NAME;
		this.rules = rules;
		this.dispatch = FirstCharDispatch.of(rules);
	}

	/**
	 * Starts a builder.
	 * @return a new builder
	 */
	public static RuleInterpreterBuilder builder() {
		return new RuleInterpreterBuilder();
	}

	/**
	 * Compiles a definition, checking every rule now rather than at the first line.
	 * @param definition the definition
	 * @return the compiled interpreter factory
	 * @throws InvalidRuleException naming the first rule with an unknown type, a missing field or an invalid
	 * pattern
	 */
	public static RuleInterpreter from(RuleInterpreterDefinition definition) {
		if (definition == null) {
			throw new IllegalArgumentException("'definition' must not be null");
		}
		List<CompiledRule> compiled = new ArrayList<>(definition.rules().size());
		for (int i = 0; i < definition.rules().size(); i++) {
			compiled.add(CompiledRule.compile(i, definition.rules().get(i)));
		}
		return new RuleInterpreter(definition, List.copyOf(compiled));
	}

	/**
	 * A fresh interpreter for one job.
	 * @return the interpreter
	 */
	public Interpreter newInterpreter() {
		return new RuleSession(this.name, this.rules, this.dispatch, this.definition.notes(),
				this.definition.fallback(), this.definition.phaseRanges());
	}

	/**
	 * Same as {@link #newInterpreter()}.
	 * @return a fresh interpreter
	 */
	@Override
	public Interpreter get() {
		return newInterpreter();
	}

	/**
	 * The definition this interpreter was compiled from.
	 * @return the definition
	 */
	public RuleInterpreterDefinition definition() {
		return this.definition;
	}

	/**
	 * The name shown in {@code interpreter_error} events.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The range of a phase.
	 * @param phase the phase name
	 * @return the range, or {@code null} if the phase has none
	 */
	public @Nullable PhaseRange phaseRange(String phase) {
		Map<String, PhaseRange> ranges = this.definition.phaseRanges();
		return ranges.get(phase);
	}

	@Override
	public String toString() {
		return "RuleInterpreter[" + this.name + ", " + this.rules.size() + " rules]";
	}

}
