package io.execra.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.execra.Command;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Progress;
import io.execra.interpret.Interpreter;
import io.execra.interpret.InterpreterContext;
import io.execra.interpret.Line;

/**
 * Output throughput: {@code seq 1 N} through one job — line decoding, the replay window and one subscriber reading
 * {@code handle.events()} to the end — against a raw {@link BufferedReader#readLine()} loop over the same process.
 * A second execra variant adds an interpreter of five regex rules.
 */
final class OutputThroughput implements Benchmark {

	@Override
	public String name() {
		return "output";
	}

	@Override
	public void run(BenchmarkOptions options, Report report) throws Exception {
		int lines = options.outputLines();
		List<String> argv = List.of("seq", "1", Integer.toString(lines));
		System.out.printf("output: seq 1 %d through one job, one subscriber (store %s)%n", lines,
				options.store().name());
		Rounds.Result plain = Rounds.alternate(options, "lines/s", () -> execra(options, argv, lines, false),
				() -> raw(argv, lines));
		double ratio = plain.execra().median() / plain.baseline().median();
		report.add(new Report.Row("output seq 1 " + lines + ", 1 subscriber", "lines/s", plain.execra().median(),
				plain.baseline().median(), Report.Better.HIGHER, "≥ 0.60×", Report.atLeast(ratio, 0.60),
				Report.percent(plain.execra().spread())));

		System.out.printf("output: the same with a 5-regex interpreter%n");
		Rounds.Result interpreted = Rounds.alternate(options, "lines/s", () -> execra(options, argv, lines, true),
				() -> raw(argv, lines));
		ratio = interpreted.execra().median() / interpreted.baseline().median();
		report.add(new Report.Row("output seq 1 " + lines + ", 1 subscriber, 5-regex interpreter", "lines/s",
				interpreted.execra().median(), interpreted.baseline().median(), Report.Better.HIGHER, "≥ 0.40×",
				Report.atLeast(ratio, 0.40), Report.percent(interpreted.execra().spread())));
		report.note("Output with interpreter: RuleInterpreter is on branch interp (not merged); measured with a"
				+ " 5-regex Interpreter lambda written in the harness (FiveRegexInterpreter).");
	}

	private static double execra(BenchmarkOptions options, List<String> argv, int lines, boolean interpret)
			throws Exception {
		try (ExecraRuntime runtime = Runtimes.builder(options).build()) {
			Command command = Command.of(argv.get(0), argv.subList(1, argv.size()));
			if (interpret) {
				command = command.interpreter(FiveRegexInterpreter::new);
			}
			long start = System.nanoTime();
			JobHandle handle = runtime.spawn(command);
			long delivered = 0;
			long skipped = 0;
			try (EventStream events = handle.events()) {
				while (true) {
					Event event = events.next(Duration.ofSeconds(60));
					if (event == null) {
						throw new IllegalStateException("no event within 60 s");
					}
					if (event instanceof Event.OutputAppended) {
						delivered++;
					}
					else if (event instanceof Event.Lagged lagged) {
						skipped += lagged.resumeSeq() - lagged.seq();
					}
					else if (event instanceof Event.Finalized) {
						break;
					}
				}
			}
			long elapsed = System.nanoTime() - start;
			if (delivered + skipped < lines) {
				throw new IllegalStateException("expected " + lines + " lines but saw " + delivered + " + " + skipped
						+ " skipped");
			}
			if (skipped > 0) {
				System.out.printf("    (subscriber lagged: %d of %d lines skipped, recoverable by seq)%n", skipped,
						delivered + skipped);
			}
			return lines / (elapsed / 1e9);
		}
	}

	private static double raw(List<String> argv, int lines) throws Exception {
		long start = System.nanoTime();
		Process process = RawProcesses.builder(argv).start();
		long count = 0;
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			while (reader.readLine() != null) {
				count++;
			}
		}
		process.waitFor();
		long elapsed = System.nanoTime() - start;
		if (count != lines) {
			throw new IllegalStateException("expected " + lines + " lines but read " + count);
		}
		return lines / (elapsed / 1e9);
	}

	/**
	 * Stands in for a five-rule {@code RuleInterpreter} (branch interp): five regexes tried on every line, in the
	 * way a rule table would, with an event for the rare line that matches. The rules are anchored or start with
	 * a literal, as rules for real tool output do; like a rule table compiled for one job, it keeps one
	 * {@link Matcher} per rule and resets it for each line.
	 */
	static final class FiveRegexInterpreter implements Interpreter {

		private final Matcher error = Pattern.compile("(?:ERROR|FATAL):\\s+(.*)").matcher("");

		private final Matcher warning = Pattern.compile("WARN(?:ING)?:\\s+(.*)").matcher("");

		private final Matcher progress = Pattern.compile("progress: (\\d+)/(\\d+)").matcher("");

		private final Matcher phase = Pattern.compile("=== (\\w+) ===").matcher("");

		private final Matcher milestone = Pattern.compile("\\d+00000").matcher("");

		private long matches;

		@Override
		public void onLine(Line line, InterpreterContext context) {
			String text = line.text();
			if (this.error.reset(text).lookingAt()) {
				context.knownError("error", this.error.group(1));
			}
			else if (this.warning.reset(text).lookingAt()) {
				context.warning("warning", this.warning.group(1));
			}
			else if (this.progress.reset(text).find()) {
				context.progress(Progress.count(Long.parseLong(this.progress.group(1)),
						Long.parseLong(this.progress.group(2))));
			}
			else if (this.phase.reset(text).matches()) {
				context.label(this.phase.group(1));
			}
			else if (this.milestone.reset(text).matches()) {
				this.matches++;
				context.progress(Progress.count(this.matches, 0));
			}
		}

		@Override
		public String name() {
			return "five-regex";
		}

	}

}
