package io.execra.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.execra.Severity;
import io.execra.interpret.RuleType;
import org.jspecify.annotations.Nullable;

/**
 * A rule interpreter bound at {@code execra.interpreters.<name>.*}, turning a tool's output lines into typed
 * events; made into a {@link io.execra.interpret.RuleInterpreterDefinition}.
 */
public class ExecraInterpreterProperties {

	/**
	 * Rules in order: the first whose pattern is found in a line wins.
	 */
	private List<Rule> rules = new ArrayList<>();

	/**
	 * Notes blocks: a line equal to the trigger opens a block whose following lines, up to a blank line, become one
	 * informational finding. Looked for before the rules.
	 */
	private List<Notes> notes = new ArrayList<>();

	/**
	 * Part of the job's overall progress each phase covers, by phase name.
	 */
	private Map<String, PhaseRange> phaseRanges = new LinkedHashMap<>();

	private final Fallback fallback = new Fallback();

	public List<Rule> getRules() {
		return this.rules;
	}

	public void setRules(List<Rule> rules) {
		this.rules = rules;
	}

	public List<Notes> getNotes() {
		return this.notes;
	}

	public void setNotes(List<Notes> notes) {
		this.notes = notes;
	}

	public Map<String, PhaseRange> getPhaseRanges() {
		return this.phaseRanges;
	}

	public void setPhaseRanges(Map<String, PhaseRange> phaseRanges) {
		this.phaseRanges = phaseRanges;
	}

	public Fallback getFallback() {
		return this.fallback;
	}

	/**
	 * One rule. Which fields a type uses is described on {@link io.execra.interpret.RuleDefinition}; templates
	 * use $1 for a numbered group and ${name} for a named group.
	 */
	public static class Rule {

		/**
		 * What a matching line means.
		 */
		private @Nullable RuleType type;

		/**
		 * Regular expression searched for in the line.
		 */
		private @Nullable String pattern;

		/**
		 * Phase name, for "enter-phase" rules.
		 */
		private @Nullable String name;

		/**
		 * Phase label template, for "enter-phase" rules.
		 */
		private @Nullable String label;

		/**
		 * Code of the warning, known error or finding.
		 */
		private @Nullable String code;

		/**
		 * Text template of the warning, known error, finding, summary, label or prompt.
		 */
		private @Nullable String message;

		/**
		 * Hint template, for "progress" rules.
		 */
		private @Nullable String hint;

		/**
		 * Severity of the finding, for "finding" rules. Defaults to "info".
		 */
		private @Nullable Severity severity;

		/**
		 * Answer template written to stdin, followed by a newline, for "prompt" rules.
		 */
		private @Nullable String answer;

		public @Nullable RuleType getType() {
			return this.type;
		}

		public void setType(@Nullable RuleType type) {
			this.type = type;
		}

		public @Nullable String getPattern() {
			return this.pattern;
		}

		public void setPattern(@Nullable String pattern) {
			this.pattern = pattern;
		}

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public @Nullable String getLabel() {
			return this.label;
		}

		public void setLabel(@Nullable String label) {
			this.label = label;
		}

		public @Nullable String getCode() {
			return this.code;
		}

		public void setCode(@Nullable String code) {
			this.code = code;
		}

		public @Nullable String getMessage() {
			return this.message;
		}

		public void setMessage(@Nullable String message) {
			this.message = message;
		}

		public @Nullable String getHint() {
			return this.hint;
		}

		public void setHint(@Nullable String hint) {
			this.hint = hint;
		}

		public @Nullable Severity getSeverity() {
			return this.severity;
		}

		public void setSeverity(@Nullable Severity severity) {
			this.severity = severity;
		}

		public @Nullable String getAnswer() {
			return this.answer;
		}

		public void setAnswer(@Nullable String answer) {
			this.answer = answer;
		}

	}

	/**
	 * A notes block.
	 */
	public static class Notes {

		/**
		 * Text that opens a block, compared with the trimmed line.
		 */
		private @Nullable String trigger;

		/**
		 * Code of the finding the block becomes.
		 */
		private @Nullable String code;

		public @Nullable String getTrigger() {
			return this.trigger;
		}

		public void setTrigger(@Nullable String trigger) {
			this.trigger = trigger;
		}

		public @Nullable String getCode() {
			return this.code;
		}

		public void setCode(@Nullable String code) {
			this.code = code;
		}

	}

	/**
	 * Part of the job's overall progress a phase covers.
	 */
	public static class PhaseRange {

		/**
		 * Fraction of the job done when the phase starts, between 0 and 1.
		 */
		private double start;

		/**
		 * Fraction of the job done when the phase ends, between start and 1.
		 */
		private double end = 1.0;

		public double getStart() {
			return this.start;
		}

		public void setStart(double start) {
			this.start = start;
		}

		public double getEnd() {
			return this.end;
		}

		public void setEnd(double end) {
			this.end = end;
		}

	}

	/**
	 * Known error reported when the process fails and no rule reported one.
	 */
	public static class Fallback {

		/**
		 * Whether to report a known error when the process fails and no rule reported one.
		 */
		private boolean enabled;

		/**
		 * Code of the known error.
		 */
		private String code = "command_error";

		/**
		 * Whether to use the first unclassified line containing "failed" as the message.
		 */
		private boolean failedLine = true;

		/**
		 * Whether to use the last non-blank stderr line as the message.
		 */
		private boolean lastStderrLine = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getCode() {
			return this.code;
		}

		public void setCode(String code) {
			this.code = code;
		}

		public boolean isFailedLine() {
			return this.failedLine;
		}

		public void setFailedLine(boolean failedLine) {
			this.failedLine = failedLine;
		}

		public boolean isLastStderrLine() {
			return this.lastStderrLine;
		}

		public void setLastStderrLine(boolean lastStderrLine) {
			this.lastStderrLine = lastStderrLine;
		}

	}

}
