package io.execra.interpret;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.execra.ExitStatus;
import io.execra.Progress;

/**
 * Interprets curl's progress on stderr, in both forms: {@code --progress-bar} ({@code ####   45.6%}) becomes a
 * fraction, and the default meter table ({@code  45 2929k   45 1318k    0     0 ...}) byte progress with the
 * total when the server sent one. {@code curl: (N) message} becomes the known error {@code curl_<N>} (for example
 * {@code curl_22} for an HTTP error with {@code -f}, {@code curl_6} for an unknown host); any other failure
 * reports the last stderr line as {@code curl_error}. A successful transfer shown with the default meter ends
 * with the summary "Downloaded N bytes" (the progress bar shows no byte counts, so it gives no summary). One
 * instance per job.
 */
final class CurlInterpreter implements Interpreter {

	private static final Pattern BAR = Pattern.compile("^[#=O\\-\\s]*?(\\d{1,3}(?:[.,]\\d)?)%$");

	private static final Pattern METER = Pattern.compile("^\\s*(\\d{1,3})\\s+(\\d+(?:\\.\\d+)?[kMGTP]?)\\s+(\\d{1,3})"
			+ "\\s+(\\d+(?:\\.\\d+)?[kMGTP]?)\\s+\\d{1,3}\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+$");

	private static final Pattern ERROR = Pattern.compile("^curl: \\((\\d+)\\) (.*)$");

	private double lastFraction = -1;

	private long lastBytes = -1;

	private final StderrFallback fallback = new StderrFallback("curl");

	@Override
	public String name() {
		return "curl";
	}

	@Override
	public void onLine(Line line, InterpreterContext context) {
		String text = line.text().strip();
		if (text.isEmpty()) {
			return;
		}
		this.fallback.remember(line, text);
		Matcher bar = BAR.matcher(text);
		if (bar.matches()) {
			double fraction = Double.parseDouble(bar.group(1).replace(',', '.')) / 100.0;
			if (fraction > this.lastFraction) {
				this.lastFraction = fraction;
				context.progress(Progress.fraction(fraction));
			}
			return;
		}
		Matcher meter = METER.matcher(text);
		if (meter.matches()) {
			long total = size(meter.group(2));
			long received = size(meter.group(4));
			this.lastBytes = received;
			context.progress(Progress.bytes(received, (total > 0) ? total : null));
			return;
		}
		Matcher error = ERROR.matcher(text);
		if (error.matches()) {
			this.fallback.knownError(context, "curl_" + error.group(1), error.group(2));
		}
	}

	/** Curl's sizes: a number with an optional binary suffix (k = 1024). */
	static long size(String text) {
		char unit = text.charAt(text.length() - 1);
		int power = "kMGTP".indexOf(unit) + 1;
		String number = (power > 0) ? text.substring(0, text.length() - 1) : text;
		return Math.round(Double.parseDouble(number) * Math.pow(1024, power));
	}

	@Override
	public void onExit(ExitStatus exit, InterpreterContext context) {
		if (context.isSuccess(exit)) {
			if (this.lastFraction >= 0 && this.lastFraction < 1.0) {
				context.progress(Progress.fraction(1.0));
			}
			if (this.lastBytes >= 0) {
				context.summary(String.format(Locale.ROOT, "Downloaded %d bytes", this.lastBytes));
			}
		}
		this.fallback.onExit(exit, context);
	}

}
