package io.execra.interpret;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.execra.ExitStatus;
import io.execra.Progress;
import io.execra.StdStream;
import org.jspecify.annotations.Nullable;

/**
 * Interprets {@code ffmpeg ... -progress pipe:1 -nostats}: the {@code key=value} blocks on stdout, each ended by
 * {@code progress=continue} or {@code progress=end}, and the input's {@code Duration: HH:MM:SS.xx} line on
 * stderr. With the duration known, each block reports {@code out_time_us / duration} as a fraction (never going
 * backwards); without it, an indeterminate progress with the frame count. The work runs in a {@code transcode}
 * phase; {@code progress=end} reports 1.0 and the summary. Common errors on stderr become known errors; any other
 * failure reports the last meaningful stderr line as {@code ffmpeg_error}. One instance per job.
 */
final class FfmpegInterpreter implements Interpreter {

	static final String PHASE = "transcode";

	private static final Pattern DURATION = Pattern.compile("^\\s*Duration: (\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?)");

	private static final Pattern KEY_VALUE = Pattern.compile("^(\\w+)=(.*)$");

	private static final Pattern OUT_TIME = Pattern.compile("^(-)?(\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?)$");

	private static final Pattern NOT_FOUND = Pattern.compile(": No such file or directory$");

	private static final Pattern INVALID_DATA = Pattern.compile(": Invalid data found when processing input$");

	private static final Pattern UNKNOWN_CODEC = Pattern.compile("^Unknown (?:encoder|decoder) '.*'");

	private final Map<String, String> block = new HashMap<>();

	private @Nullable Long durationMicros;

	private boolean inPhase;

	private boolean ended;

	private double lastFraction = -1;

	private final StderrFallback fallback = new StderrFallback("ffmpeg");

	@Override
	public String name() {
		return "ffmpeg";
	}

	@Override
	public void onLine(Line line, InterpreterContext context) {
		String text = line.text();
		if (line.stream() == StdStream.STDERR) {
			stderr(line, context);
			return;
		}
		Matcher keyValue = KEY_VALUE.matcher(text);
		if (!keyValue.matches()) {
			return;
		}
		String key = keyValue.group(1);
		String value = keyValue.group(2).trim();
		if (!key.equals("progress")) {
			this.block.put(key, value);
			return;
		}
		if (!this.inPhase && !this.ended) {
			context.enterPhase(PHASE, null);
			this.inPhase = true;
		}
		if (value.equals("end")) {
			end(context);
		}
		else {
			report(context);
		}
		this.block.clear();
	}

	private void stderr(Line line, InterpreterContext context) {
		String text = line.text();
		if (this.durationMicros == null) {
			Matcher duration = DURATION.matcher(text);
			if (duration.find()) {
				this.durationMicros = micros(duration.group(1), duration.group(2), duration.group(3));
				return;
			}
		}
		String trimmed = text.trim();
		if (trimmed.isEmpty() || trimmed.startsWith("[") || trimmed.equals("Conversion failed!")) {
			return;
		}
		this.fallback.remember(line, trimmed);
		if (NOT_FOUND.matcher(trimmed).find()) {
			this.fallback.knownError(context, "input_not_found", trimmed);
		}
		else if (INVALID_DATA.matcher(trimmed).find()) {
			this.fallback.knownError(context, "invalid_input", trimmed);
		}
		else if (UNKNOWN_CODEC.matcher(trimmed).find()) {
			this.fallback.knownError(context, "unknown_codec", trimmed);
		}
	}

	private void report(InterpreterContext context) {
		Long outTime = outTimeMicros();
		Long duration = this.durationMicros;
		if (outTime != null && duration != null && duration > 0) {
			double fraction = Math.min(1.0, (double) outTime / duration);
			if (fraction > this.lastFraction) {
				this.lastFraction = fraction;
				context.progress(Progress.fraction(fraction));
			}
		}
		else if (duration == null) {
			String frame = this.block.get("frame");
			context.progress(Progress.indeterminate((frame != null) ? "frame " + frame : null));
		}
	}

	private void end(InterpreterContext context) {
		this.ended = true;
		this.lastFraction = 1.0;
		context.progress(Progress.fraction(1.0));
		context.summary(summary());
		if (this.inPhase) {
			this.inPhase = false;
			context.exitPhase();
		}
	}

	private String summary() {
		Long outTime = outTimeMicros();
		StringBuilder summary = new StringBuilder("Transcoded ");
		summary.append((outTime != null) ? String.format(Locale.ROOT, "%.2f s", outTime / 1_000_000.0) : "media");
		String frames = this.block.get("frame");
		String size = this.block.get("total_size");
		String speed = this.block.get("speed");
		if (frames != null && !frames.equals("0")) {
			summary.append(", ").append(frames).append(" frames");
		}
		if (size != null && size.matches("\\d+")) {
			summary.append(", ").append(size).append(" bytes");
		}
		if (speed != null && speed.matches("[\\d.]+x")) {
			summary.append(" at ").append(speed);
		}
		return summary.toString();
	}

	private @Nullable Long outTimeMicros() {
		// out_time_ms is in microseconds too (a long-standing ffmpeg quirk)
		for (String key : new String[] { "out_time_us", "out_time_ms" }) {
			String value = this.block.get(key);
			if (value != null && value.matches("\\d+")) {
				return Long.parseLong(value);
			}
		}
		String clock = this.block.get("out_time");
		if (clock != null) {
			Matcher matcher = OUT_TIME.matcher(clock);
			if (matcher.matches() && matcher.group(1) == null) {
				return micros(matcher.group(2), matcher.group(3), matcher.group(4));
			}
		}
		return null;
	}

	private static long micros(String hours, String minutes, String seconds) {
		return Long.parseLong(hours) * 3_600_000_000L + Long.parseLong(minutes) * 60_000_000L
				+ Math.round(Double.parseDouble(seconds) * 1_000_000);
	}

	@Override
	public void onExit(ExitStatus exit, InterpreterContext context) {
		if (this.inPhase) {
			this.inPhase = false;
			context.exitPhase();
		}
		this.fallback.onExit(exit, context);
	}

}
