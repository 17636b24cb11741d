package io.execra.interpret;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import io.execra.ExitStatus;
import io.execra.Finding;
import io.execra.Progress;
import io.execra.StdStream;
import org.jspecify.annotations.Nullable;

/**
 * The state of one job interpreted by a {@link RuleInterpreter}: the phase it opened, the notes block being
 * collected, the lines remembered for the fallback, and a {@link Matcher} per rule reused line after line. Used
 * serially by the runtime, like every interpreter.
 */
final class RuleSession implements Interpreter, LinePrefilter {

	private final String name;

	private final CompiledRule[] rules;

	private final Matcher[] matchers;

	private final @Nullable FirstCharDispatch dispatch;

	private final List<NotesDefinition> notes;

	private final @Nullable FallbackDefinition fallback;

	private final Map<String, PhaseRange> ranges;

	private @Nullable String openPhase;

	private @Nullable NotesDefinition openNotes;

	private final List<String> noteLines = new ArrayList<>();

	private boolean knownErrorReported;

	private @Nullable String firstFailedLine;

	private @Nullable String lastStderrLine;

	RuleSession(String name, List<CompiledRule> rules, @Nullable FirstCharDispatch dispatch,
			List<NotesDefinition> notes, @Nullable FallbackDefinition fallback, Map<String, PhaseRange> ranges) {
		this.name = name;
		this.dispatch = dispatch;
		this.rules = rules.toArray(new CompiledRule[0]);
		this.matchers = new Matcher[this.rules.length];
		for (int i = 0; i < this.rules.length; i++) {
			this.matchers[i] = this.rules[i].matcher();
		}
		this.notes = notes;
		this.fallback = fallback;
		this.ranges = ranges;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public void onLine(Line line, InterpreterContext context) {
		String text = line.text();
		if (takenByNotes(text, context)) {
			return;
		}
		if (text.isEmpty()) {
			return;
		}
		if (this.dispatch != null) {
			// only the rules a line starting with this character can match, in order
			long candidates = this.dispatch.candidates(text.charAt(0));
			for (; candidates != 0; candidates &= candidates - 1) {
				if (tryRule(Long.numberOfTrailingZeros(candidates), line, text, context)) {
					return;
				}
			}
		}
		else {
			for (int i = 0; i < this.rules.length; i++) {
				if (tryRule(i, line, text, context)) {
					return;
				}
			}
		}
		rememberStderr(line);
		if (this.firstFailedLine == null && this.fallback != null && this.fallback.failedLine()
				&& containsFailed(text)) {
			this.firstFailedLine = text;
		}
	}

	/**
	 * A line is ignored when no rule can match it, as its rules' prefilters tell, and nothing else would take note of
	 * it: no notes block is defined, it is not on stderr (remembered for the fallback), and it does not say "failed"
	 * while the fallback looks for such a line.
	 */
	@Override
	public boolean ignores(StdStream stream, CharSequence text) {
		if (stream == StdStream.STDERR || this.openNotes != null || !this.notes.isEmpty()) {
			return false;
		}
		if (text.length() == 0) {
			return true;
		}
		if (this.firstFailedLine == null && this.fallback != null && this.fallback.failedLine()
				&& containsFailed(text)) {
			return false;
		}
		if (this.dispatch != null) {
			long candidates = this.dispatch.candidates(text.charAt(0));
			for (; candidates != 0; candidates &= candidates - 1) {
				if (this.rules[Long.numberOfTrailingZeros(candidates)].mayMatch(text)) {
					return false;
				}
			}
			return true;
		}
		for (CompiledRule rule : this.rules) {
			if (rule.mayMatch(text)) {
				return false;
			}
		}
		return true;
	}

	/** Tries a rule on a line, applying it if it matches. */
	private boolean tryRule(int index, Line line, String text, InterpreterContext context) {
		CompiledRule rule = this.rules[index];
		Matcher match = this.matchers[index];
		if (!rule.find(match, text)) {
			return false;
		}
		if (rule.type != RuleType.BENIGN) {
			rememberStderr(line);
		}
		apply(rule, match, context);
		return true;
	}

	/**
	 * Whether the text contains "failed" in any case: the same answer as {@code toLowerCase(Locale.ROOT)} then
	 * {@code contains("failed")}, since only ASCII letters lower-case to a lone ASCII letter, without a copy.
	 */
	static boolean containsFailed(CharSequence text) {
		String word = "failed";
		int last = text.length() - word.length();
		for (int start = 0; start <= last; start++) {
			int i = 0;
			while (i < word.length() && (text.charAt(start + i) | 0x20) == word.charAt(i)) {
				i++;
			}
			if (i == word.length()) {
				return true;
			}
		}
		return false;
	}

	private void rememberStderr(Line line) {
		if (line.stream() == StdStream.STDERR && !line.text().isBlank()) {
			this.lastStderrLine = line.text();
		}
	}

	private boolean takenByNotes(String text, InterpreterContext context) {
		if (this.openNotes == null && this.notes.isEmpty()) {
			return false;
		}
		if (this.openNotes != null) {
			if (text.isBlank()) {
				flushNotes(context);
			}
			else if (!text.startsWith("---")) {
				this.noteLines.add(text.trim());
			}
			return true;
		}
		String trimmed = text.trim();
		for (NotesDefinition candidate : this.notes) {
			if (candidate.trigger().equals(trimmed)) {
				this.openNotes = candidate;
				return true;
			}
		}
		return false;
	}

	private void flushNotes(InterpreterContext context) {
		NotesDefinition block = this.openNotes;
		this.openNotes = null;
		if (block != null && !this.noteLines.isEmpty()) {
			context.finding(Finding.info(block.code(), String.join("\n", this.noteLines)));
		}
		this.noteLines.clear();
	}

	private void apply(CompiledRule rule, Matcher match, InterpreterContext context) {
		RuleDefinition definition = rule.definition;
		switch (rule.type) {
			case BENIGN -> {
			}
			case PROGRESS -> context.progress(
					Progress.indeterminate((definition.hint() != null) ? render(definition.hint(), match) : null));
			case PERCENT -> {
				Double percent = number(first(match, "percent", 1));
				if (percent != null) {
					context.progress(Progress.fraction(currentRange().scale(percent / 100.0)));
				}
			}
			case BYTE_PROGRESS_MB -> {
				Double done = number(first(match, "done", 1));
				Double total = number(first(match, "total", 2));
				if (done != null && total != null && total > 0) {
					context.progress(Progress.fraction(currentRange().scale(done / total)));
				}
			}
			case ENTER_PHASE -> enterPhase(definition.name(), optional(definition.label(), match), context);
			case LABEL -> context.label(render(definition.message(), match));
			case WARNING -> context.warning(definition.code(), render(definition.message(), match));
			case KNOWN_ERROR -> {
				this.knownErrorReported = true;
				context.knownError(definition.code(), render(definition.message(), match));
			}
			case FINDING -> context.finding(Finding.of(rule.severity, definition.code(),
					render(definition.message(), match)));
			case SUMMARY -> context.summary(render(definition.message(), match));
			case PROMPT -> {
				context.prompt(render(definition.message(), match));
				if (definition.answer() != null) {
					context.answer(render(definition.answer(), match) + "\n");
				}
			}
		}
	}

	private void enterPhase(@Nullable String phase, @Nullable String label, InterpreterContext context) {
		if (phase == null) {
			return;
		}
		closePhase(context);
		context.enterPhase(phase, label);
		this.openPhase = phase;
		PhaseRange range = this.ranges.get(phase);
		if (range != null) {
			context.progress(Progress.fraction(range.start()));
		}
	}

	private void closePhase(InterpreterContext context) {
		String phase = this.openPhase;
		if (phase == null) {
			return;
		}
		this.openPhase = null;
		PhaseRange range = this.ranges.get(phase);
		if (range != null) {
			context.progress(Progress.fraction(range.end()));
		}
		context.exitPhase();
	}

	private PhaseRange currentRange() {
		PhaseRange range = (this.openPhase != null) ? this.ranges.get(this.openPhase) : null;
		return (range != null) ? range : PhaseRange.FULL;
	}

	@Override
	public void onExit(ExitStatus exit, InterpreterContext context) {
		flushNotes(context);
		closePhase(context);
		FallbackDefinition policy = this.fallback;
		if (policy == null || !StderrFallback.appliesTo(exit, context) || this.knownErrorReported) {
			return;
		}
		String message = policy.failedLine() ? this.firstFailedLine : null;
		if (message == null && policy.lastStderrLine()) {
			message = this.lastStderrLine;
		}
		if (message != null) {
			context.knownError(policy.code(), message.trim());
		}
	}

	private static String render(@Nullable String template, Matcher match) {
		return (template != null) ? Template.render(template, match) : "";
	}

	private static @Nullable String optional(@Nullable String template, Matcher match) {
		if (template == null) {
			return null;
		}
		String rendered = Template.render(template, match);
		return rendered.isEmpty() ? null : rendered;
	}

	private static String first(Matcher match, String name, int number) {
		String named = Template.group(match, name);
		return named.isEmpty() ? Template.group(match, number) : named;
	}

	private static @Nullable Double number(String text) {
		String digits = text.replace(",", "").trim();
		if (digits.isEmpty()) {
			return null;
		}
		try {
			double value = Double.parseDouble(digits);
			return Double.isFinite(value) ? value : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
