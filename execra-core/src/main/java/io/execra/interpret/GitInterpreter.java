package io.execra.interpret;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.execra.ExitStatus;
import io.execra.Progress;
import org.jspecify.annotations.Nullable;

/**
 * Interprets the stderr of {@code git clone/fetch/pull/push --progress}. Each stage becomes a phase —
 * {@code enumerate}, {@code count}, {@code compress}, {@code receive}, {@code unpack}, {@code resolve},
 * {@code checkout}, {@code write} — labelled with git's own words ("Receiving objects"), and its
 * {@code NN% (done/total)} is reported as a fraction of the whole operation: each stage covers a fixed part of it
 * (receiving objects 10–80%, resolving deltas 80–95%, ...), so the fraction never goes backwards. {@code fatal:}
 * lines become the known error {@code git_fatal} (the first one, which names the cause), {@code error:} and
 * {@code warning:} lines warnings; any other failure reports the last stderr line as {@code git_error}. A clone
 * ends with the summary "Cloned into 'dir'". One instance per job.
 */
final class GitInterpreter implements Interpreter {

	private static final Pattern STAGE = Pattern.compile("^(?:remote: )?(Enumerating objects|Counting objects"
			+ "|Compressing objects|Receiving objects|Unpacking objects|Resolving deltas|Updating files"
			+ "|Checking out files|Writing objects)(?::\\s+(\\d+)% \\((\\d+)/(\\d+)\\))?");

	private static final Pattern CLONING = Pattern.compile("^Cloning into (?:bare repository )?'(.*)'\\.\\.\\.$");

	/** Stage words to phase name and the part of the whole operation the phase covers. */
	private static final Map<String, Stage> STAGES = Map.of("Enumerating objects", new Stage("enumerate", 0.0, 0.02),
			"Counting objects", new Stage("count", 0.02, 0.05), "Compressing objects", new Stage("compress", 0.05, 0.1),
			"Receiving objects", new Stage("receive", 0.1, 0.8), "Unpacking objects", new Stage("unpack", 0.1, 0.8),
			"Resolving deltas", new Stage("resolve", 0.8, 0.95), "Updating files", new Stage("checkout", 0.95, 1.0),
			"Checking out files", new Stage("checkout", 0.95, 1.0), "Writing objects", new Stage("write", 0.1, 0.9));

	private @Nullable Stage current;

	private double lastFraction = -1;

	private @Nullable String clonedInto;

	private final StderrFallback fallback = new StderrFallback("git");

	@Override
	public String name() {
		return "git";
	}

	@Override
	public void onLine(Line line, InterpreterContext context) {
		String text = line.text().strip();
		if (text.isEmpty()) {
			return;
		}
		this.fallback.remember(line, text);
		Matcher stage = STAGE.matcher(text);
		if (stage.find()) {
			stage(stage, context);
			return;
		}
		Matcher cloning = CLONING.matcher(text);
		if (cloning.matches()) {
			this.clonedInto = cloning.group(1);
		}
		else if (text.startsWith("fatal: ")) {
			if (!this.fallback.reported()) {
				this.fallback.knownError(context, "git_fatal", text.substring(7));
			}
		}
		else if (text.startsWith("error: ")) {
			context.warning("git_error", text.substring(7));
		}
		else if (text.startsWith("warning: ")) {
			context.warning("git_warning", text.substring(9));
		}
	}

	private void stage(Matcher match, InterpreterContext context) {
		Stage stage = STAGES.get(match.group(1));
		if (stage == null) {
			return;
		}
		if (this.current == null || !this.current.phase.equals(stage.phase)) {
			closePhase(context);
			context.enterPhase(stage.phase, match.group(1));
			this.current = stage;
			progress(stage.start, context);
		}
		if (match.group(2) != null) {
			long done = Long.parseLong(match.group(3));
			long total = Long.parseLong(match.group(4));
			double part = (total > 0) ? (double) done / total : Integer.parseInt(match.group(2)) / 100.0;
			progress(stage.start + (stage.end - stage.start) * Math.min(1.0, part), context);
		}
	}

	private void progress(double fraction, InterpreterContext context) {
		if (fraction > this.lastFraction) {
			this.lastFraction = fraction;
			context.progress(Progress.fraction(fraction));
		}
	}

	private void closePhase(InterpreterContext context) {
		if (this.current != null) {
			progress(this.current.end, context);
			this.current = null;
			context.exitPhase();
		}
	}

	@Override
	public void onExit(ExitStatus exit, InterpreterContext context) {
		closePhase(context);
		if (context.isSuccess(exit)) {
			if (this.lastFraction >= 0) {
				progress(1.0, context);
			}
			if (this.clonedInto != null) {
				context.summary("Cloned into '" + this.clonedInto + "'");
			}
		}
		this.fallback.onExit(exit, context);
	}

	private record Stage(String phase, double start, double end) {
	}

}
