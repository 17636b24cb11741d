package io.execra.interpret;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.execra.ExitStatus;
import io.execra.Progress;
import org.jspecify.annotations.Nullable;

/**
 * Interprets {@code rsync --info=progress2}: lines such as {@code 1,234,567  45%  12.34MB/s  0:00:10 (xfr#5,
 * to-chk=10/20)} become byte progress; the total is estimated from the percentage (rsync prints none), so the
 * fraction follows rsync's own percentage. The closing {@code sent ... received ...} and {@code total size is ...}
 * lines (printed with {@code -v} or {@code --stats}) make the summary. {@code rsync error: ... (code N)} becomes
 * the known error {@code rsync_<N>}, other {@code rsync:} lines (a file that could not be read, say) warnings
 * {@code rsync_file_error}; any other failure reports the last stderr line as {@code rsync_error}. One instance
 * per job.
 */
final class RsyncInterpreter implements Interpreter {

	private static final Pattern PROGRESS = Pattern
		.compile("^\\s*([\\d,]+)\\s+(\\d{1,3})%\\s+\\S+/s\\s+\\d+:\\d{2}:\\d{2}");

	private static final Pattern SENT = Pattern
		.compile("^sent ([\\d,]+) bytes\\s+received ([\\d,]+) bytes");

	private static final Pattern TOTAL = Pattern.compile("^total size is ([\\d,]+)\\s+speedup is ([\\d.,]+)");

	private static final Pattern ERROR = Pattern.compile("^rsync error: (.*) \\(code (\\d+)\\)");

	private @Nullable String sent;

	private final StderrFallback fallback = new StderrFallback("rsync");

	@Override
	public String name() {
		return "rsync";
	}

	@Override
	public void onLine(Line line, InterpreterContext context) {
		String text = line.text();
		if (text.isBlank()) {
			return;
		}
		this.fallback.remember(line, text.trim());
		Matcher progress = PROGRESS.matcher(text);
		if (progress.find()) {
			long done = Long.parseLong(progress.group(1).replace(",", ""));
			int percent = Integer.parseInt(progress.group(2));
			Long total = (percent > 0) ? Math.max(done, Math.round(done * 100.0 / percent)) : null;
			context.progress(Progress.bytes(done, total));
			return;
		}
		Matcher error = ERROR.matcher(text);
		if (error.find()) {
			this.fallback.knownError(context, "rsync_" + error.group(2), error.group(1) + " (code " + error.group(2) + ")");
			return;
		}
		if (text.startsWith("rsync: ") || text.startsWith("rsync warning: ")) {
			context.warning("rsync_file_error", text.substring(text.indexOf(": ") + 2));
			return;
		}
		Matcher sentLine = SENT.matcher(text);
		if (sentLine.find()) {
			this.sent = "sent " + sentLine.group(1) + " bytes, received " + sentLine.group(2) + " bytes";
			return;
		}
		Matcher total = TOTAL.matcher(text);
		if (total.find()) {
			context.summary("Synchronized " + total.group(1) + " bytes"
					+ ((this.sent != null) ? " (" + this.sent + ")" : "") + ", speedup " + total.group(2));
		}
	}

	@Override
	public void onExit(ExitStatus exit, InterpreterContext context) {
		this.fallback.onExit(exit, context);
	}

}
