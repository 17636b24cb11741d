package io.execra.interpret;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import io.execra.Finding;
import io.execra.Progress;
import io.execra.Severity;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interprets tools that print one JSON event per line, on stdout or stderr. Each event is an object with a
 * {@code type}; other lines (not starting with <code>{</code>, not valid JSON, not an object, of an unknown type
 * or missing a required field) are ignored, so a tool may mix events with ordinary output.
 *
 * <table>
 * <caption>Accepted events</caption>
 * <tr><th>type</th><th>fields</th><th>emits</th></tr>
 * <tr><td>{@code progress}</td><td>{@code fraction} (0..1), or {@code percent} (0..100), or {@code done} and
 * {@code total} (items), or {@code bytes} and optional {@code total}; with none of these, optional {@code hint}
 * </td><td>progress</td></tr>
 * <tr><td>{@code phase}</td><td>{@code name}, optional {@code label}</td><td>enter a phase</td></tr>
 * <tr><td>{@code phase_update}</td><td>{@code label}</td><td>relabel the current phase</td></tr>
 * <tr><td>{@code phase_end}</td><td>none</td><td>exit the current phase</td></tr>
 * <tr><td>{@code label}</td><td>{@code text}</td><td>job label</td></tr>
 * <tr><td>{@code warning}</td><td>{@code message}, optional {@code code}</td><td>warning</td></tr>
 * <tr><td>{@code error}</td><td>{@code message}, optional {@code code} (default {@code error})</td>
 * <td>known error</td></tr>
 * <tr><td>{@code finding}</td><td>{@code code}, {@code message}, optional {@code severity} ({@code info},
 * {@code recommendation}, {@code warning}, {@code error}; default {@code info})</td><td>finding</td></tr>
 * <tr><td>{@code summary}</td><td>{@code text}</td><td>summary</td></tr>
 * <tr><td>{@code prompt}</td><td>{@code text}</td><td>prompt</td></tr>
 * </table>
 * Where a {@code text} is expected, {@code message} is accepted too. For example:
 * <pre>
 * {"type":"phase","name":"download","label":"Downloading model"}
 * {"type":"progress","fraction":0.5}
 * {"type":"warning","code":"slow_mirror","message":"mirror is slow"}
 * {"type":"summary","text":"Downloaded 3 files"}
 * </pre>
 * Stateless, so one instance may serve many jobs.
 */
public final class JsonLinesInterpreter implements Interpreter {

	private static final Logger logger = LoggerFactory.getLogger(JsonLinesInterpreter.class);

	@Override
	public String name() {
		return "json-lines";
	}

	@Override
	public void onLine(Line line, InterpreterContext context) {
		String text = line.text().trim();
		if (!text.startsWith("{") || !text.endsWith("}")) {
			return;
		}
		Object parsed;
		try {
			parsed = Json.parse(text);
		}
		catch (IllegalArgumentException ex) {
			logger.trace("Not a JSON event: {}", ex.getMessage());
			return;
		}
		if (parsed instanceof Map<?, ?> event && event.get("type") instanceof String type) {
			emit(type.toLowerCase(Locale.ROOT), event, context);
		}
	}

	private void emit(String type, Map<?, ?> event, InterpreterContext context) {
		switch (type) {
			case "progress" -> progress(event, context);
			case "phase" -> {
				String name = string(event, "name");
				if (name != null && !name.isEmpty()) {
					context.enterPhase(name, string(event, "label"));
				}
			}
			case "phase_update" -> ifPresent(string(event, "label"), context::updatePhase);
			case "phase_end", "phase_exit" -> context.exitPhase();
			case "label" -> ifPresent(text(event), context::label);
			case "warning" -> ifPresent(string(event, "message"), (message) -> context.warning(string(event, "code"),
					message));
			case "error" -> ifPresent(string(event, "message"), (message) -> {
				String code = string(event, "code");
				context.knownError((code != null && !code.isEmpty()) ? code : "error", message);
			});
			case "finding" -> finding(event, context);
			case "summary" -> ifPresent(text(event), context::summary);
			case "prompt" -> ifPresent(text(event), context::prompt);
			default -> logger.trace("Ignoring JSON event of unknown type '{}'", type);
		}
	}

	private void progress(Map<?, ?> event, InterpreterContext context) {
		BigDecimal fraction = number(event, "fraction");
		BigDecimal percent = number(event, "percent");
		BigDecimal done = number(event, "done");
		BigDecimal bytes = number(event, "bytes");
		BigDecimal total = number(event, "total");
		if (fraction != null) {
			context.progress(Progress.fraction(fraction.doubleValue()));
		}
		else if (percent != null) {
			context.progress(Progress.fraction(percent.doubleValue() / 100.0));
		}
		else if (done != null && total != null && done.signum() >= 0 && total.signum() >= 0) {
			context.progress(Progress.count(done.longValue(), total.longValue()));
		}
		else if (bytes != null && bytes.signum() >= 0) {
			Long all = (total != null && total.signum() >= 0) ? total.longValue() : null;
			context.progress(Progress.bytes(bytes.longValue(), all));
		}
		else {
			context.progress(Progress.indeterminate(string(event, "hint")));
		}
	}

	private void finding(Map<?, ?> event, InterpreterContext context) {
		String code = string(event, "code");
		String message = string(event, "message");
		if (code == null || code.isEmpty() || message == null) {
			return;
		}
		Severity severity = Severity.INFO;
		String level = string(event, "severity");
		if (level != null) {
			try {
				severity = Severity.valueOf(level.toUpperCase(Locale.ROOT));
			}
			catch (IllegalArgumentException ex) {
				logger.trace("Unknown severity '{}', using info", level);
			}
		}
		context.finding(Finding.of(severity, code, message));
	}

	private static void ifPresent(@Nullable String value, Consumer<String> action) {
		if (value != null) {
			action.accept(value);
		}
	}

	private static @Nullable String text(Map<?, ?> event) {
		String text = string(event, "text");
		return (text != null) ? text : string(event, "message");
	}

	private static @Nullable String string(Map<?, ?> event, String key) {
		return (event.get(key) instanceof String value) ? value : null;
	}

	private static @Nullable BigDecimal number(Map<?, ?> event, String key) {
		return (event.get(key) instanceof BigDecimal value) ? value : null;
	}

}
