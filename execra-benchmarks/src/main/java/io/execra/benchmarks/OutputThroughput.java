package io.execra.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.execra.Command;
import io.execra.Delivery;
import io.execra.Event;
import io.execra.EventStream;
import io.execra.EventVisitor;
import io.execra.ExecraRuntime;
import io.execra.JobHandle;
import io.execra.Outcome;
import io.execra.OutputLine;
import io.execra.interpret.RuleInterpreter;

/**
 * Output throughput: {@code seq 1 N} through one job — line decoding, the replay window and one subscriber reading
 * {@code handle.events()} to the end — against a raw {@link BufferedReader#readLine()} loop over the same process.
 * A second execra variant adds a {@link RuleInterpreter} of five rules; a third, without a target, has no subscriber
 * (the job is only awaited), to tell the pump's own cost from the subscriber's share of the 2 CPUs. A fourth reads
 * {@code handle.events(Delivery.LOSSLESS)} with {@code nextBatch}, with the same replay window: every line, the
 * job's output waiting for the reader once it is a window behind. A fifth has two subscribers on two threads, a
 * job stream and an all-jobs subscription, which share the lines they decode.
 * <p>
 * The plain subscriber's figure counts only the lines it got; the lines it skipped ({@code Lagged}) are reported as
 * a share of the lines, and the lossless subscriber's skipped lines (to be 0) as a count.
 */
final class OutputThroughput implements Benchmark {

	/** One instance: the harness's own allocation per event would be counted against execra. */
	private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);

	/**
	 * The replay window of the rounds with a subscriber, as a user who wants every line of a chatty tool sets it:
	 * at 20 million lines a second the default 4,096 events are 0.2 ms of output, less than the time a woken reader
	 * may wait for one of 2 busy CPUs, so even a reader that keeps up would be skipped now and then.
	 */
	static final int SUBSCRIBER_WINDOW_EVENTS = 65_536;

	static final long SUBSCRIBER_WINDOW_BYTES = 16L * 1024 * 1024;

	/** The most events the lossless subscriber takes per {@code nextBatch}. */
	static final int LOSSLESS_BATCH = 4096;

	/** Each round's share of lines the plain subscriber skipped, warm-up rounds first. */
	private final List<Double> plainSkippedShares = new ArrayList<>();

	/** Each round's share of sampled lines the two subscribers got as one instance, warm-up rounds first. */
	private final List<Double> sharedShares = new ArrayList<>();

	/** Lines sampled for sharing: those whose seq is a multiple of this. */
	private static final int SAMPLED_EVERY = 1024;

	/** Each round's lines the lossless subscriber skipped, warm-up rounds first. */
	private final List<Double> losslessSkipped = new ArrayList<>();

	/**
	 * Five rules of the kinds a rule table for a real tool has — an error, a warning, progress, a phase and a
	 * milestone — tried on every line in order, as the interpreter does. Only the milestone matches {@code seq}'s
	 * output, at every 100,000th line.
	 */
	static final RuleInterpreter FIVE_RULES = RuleInterpreter.builder()
		.name("five-rules")
		.knownError("^(?:ERROR|FATAL):\\s+(.*)", "tool_error", "$1")
		.warning("^WARN(?:ING)?:\\s+(.*)", "tool_warning", "$1")
		.byteProgressMb("progress: (\\d+)/(\\d+)")
		.enterPhase("^=== (\\w+) ===$", "stage", "$1")
		.progress("^\\d+00000$", "$0 lines")
		.build();

	@Override
	public String name() {
		return "output";
	}

	@Override
	public void run(BenchmarkOptions options, Report report) throws Exception {
		int lines = options.outputLines();
		List<String> argv = List.of("seq", "1", Integer.toString(lines));
		System.out.printf("output: seq 1 %d through one job, one subscriber (store %s, replay window %,d events;"
				+ " lines/s counts the lines the subscriber got)%n", lines, options.store().name(),
				SUBSCRIBER_WINDOW_EVENTS);
		this.plainSkippedShares.clear();
		Rounds.Result plain = Rounds.alternate(options, "lines/s", () -> execra(options, argv, lines, false),
				() -> raw(argv, lines));
		double ratio = plain.execra().median() / plain.baseline().median();
		report.add(new Report.Row("output seq 1 " + lines + ", 1 subscriber", "lines/s", plain.execra().median(),
				plain.baseline().median(), Report.Better.HIGHER, "≥ 0.60×", Report.atLeast(ratio, 0.60),
				Report.percent(plain.execra().spread())));
		Samples skippedShares = measured(this.plainSkippedShares, options);
		report.add(new Report.Row("output seq 1 " + lines + ", 1 subscriber: lines skipped (Lagged), median of rounds",
				"%", skippedShares.median() * 100, Double.NaN, Report.Better.LOWER, "reported",
				String.format(Locale.ROOT, "%.1f–%.1f%%", skippedShares.min() * 100,
						skippedShares.max() * 100),
				"–"));

		System.out.printf("output: the same read by two subscribers on two threads, handle.events() and"
				+ " runtime.subscribe() (all jobs), each buffer as large as the replay window; lines/s counts the"
				+ " lines the slower got%n");
		this.sharedShares.clear();
		Rounds.Result two = Rounds.alternate(options, "lines/s", () -> execraTwoSubscribers(options, argv, lines),
				() -> raw(argv, lines));
		ratio = two.execra().median() / two.baseline().median();
		report.add(new Report.Row("output seq 1 " + lines + ", 2 subscribers (job stream + all jobs)", "lines/s",
				two.execra().median(), two.baseline().median(), Report.Better.HIGHER, "–", "–",
				Report.percent(two.execra().spread())));
		Samples shared = measured(this.sharedShares, options);
		report.add(new Report.Row("output seq 1 " + lines + ", 2 subscribers: lines both got as one instance"
				+ " (1 in " + SAMPLED_EVERY + " sampled), median of rounds", "%", shared.median() * 100, Double.NaN,
				Report.Better.HIGHER, "reported",
				String.format(Locale.ROOT, "%.1f–%.1f%%", shared.min() * 100, shared.max() * 100), "–"));

		System.out.printf("output: the same read losslessly, handle.events(Delivery.LOSSLESS) with nextBatch(%d),"
				+ " same replay window%n", LOSSLESS_BATCH);
		this.losslessSkipped.clear();
		Rounds.Result lossless = Rounds.alternate(options, "lines/s", () -> execraLossless(options, argv, lines),
				() -> raw(argv, lines));
		ratio = lossless.execra().median() / lossless.baseline().median();
		report.add(new Report.Row("output seq 1 " + lines + ", lossless subscriber (every line)", "lines/s",
				lossless.execra().median(), lossless.baseline().median(), Report.Better.HIGHER, "≥ 1.00×",
				Report.atLeast(ratio, 1.00), Report.percent(lossless.execra().spread())));
		Samples skipped = measured(this.losslessSkipped, options);
		report.add(new Report.Row("output seq 1 " + lines + ", lossless subscriber: lines skipped, most in a round",
				"lines", skipped.max(), Double.NaN, Report.Better.LOWER, "0", Report.atMost(skipped.max(), 0), "–"));

		System.out.printf("output: the same read losslessly with nextBatch(%d, timeout, visitor), lines as views;"
				+ " the visitor adds up each line's length%n", LOSSLESS_BATCH);
		this.losslessSkipped.clear();
		Rounds.Result viewed = Rounds.alternate(options, "lines/s",
				() -> execraLosslessVisited(options, argv, lines, false), () -> raw(argv, lines));
		ratio = viewed.execra().median() / viewed.baseline().median();
		report.add(new Report.Row("output seq 1 " + lines + ", lossless visitor, lines as views (every line)",
				"lines/s", viewed.execra().median(), viewed.baseline().median(), Report.Better.HIGHER, "≥ 1.00×",
				Report.atLeast(ratio, 1.00), Report.percent(viewed.execra().spread())));
		skipped = measured(this.losslessSkipped, options);
		report.add(new Report.Row("output seq 1 " + lines + ", lossless visitor: lines skipped, most in a round",
				"lines", skipped.max(), Double.NaN, Report.Better.LOWER, "0", Report.atMost(skipped.max(), 0), "–"));

		System.out.printf("output: the same, the visitor taking each line as a String (line()), as readLine()"
				+ " gives it%n");
		this.losslessSkipped.clear();
		Rounds.Result strings = Rounds.alternate(options, "lines/s",
				() -> execraLosslessVisited(options, argv, lines, true), () -> raw(argv, lines));
		ratio = strings.execra().median() / strings.baseline().median();
		report.add(new Report.Row("output seq 1 " + lines + ", lossless visitor, a String per line (every line)",
				"lines/s", strings.execra().median(), strings.baseline().median(), Report.Better.HIGHER, "≥ 1.00×",
				Report.atLeast(ratio, 1.00), Report.percent(strings.execra().spread())));
		skipped = measured(this.losslessSkipped, options);
		report.add(new Report.Row("output seq 1 " + lines + ", lossless visitor with Strings: lines skipped, most"
				+ " in a round", "lines", skipped.max(), Double.NaN, Report.Better.LOWER, "0",
				Report.atMost(skipped.max(), 0), "–"));

		System.out.printf("output: the same with a 5-rule RuleInterpreter%n");
		Rounds.Result interpreted = Rounds.alternate(options, "lines/s", () -> execra(options, argv, lines, true),
				() -> raw(argv, lines));
		ratio = interpreted.execra().median() / interpreted.baseline().median();
		report.add(new Report.Row("output seq 1 " + lines + ", 1 subscriber, 5-rule interpreter", "lines/s",
				interpreted.execra().median(), interpreted.baseline().median(), Report.Better.HIGHER, "≥ 0.40×",
				Report.atLeast(ratio, 0.40), Report.percent(interpreted.execra().spread())));

		System.out.printf("output: the same without a subscriber (the job awaited only)%n");
		Rounds.Result unread = Rounds.alternate(options, "lines/s", () -> execraUnread(options, argv, lines),
				() -> raw(argv, lines));
		report.add(new Report.Row("output seq 1 " + lines + ", no subscriber", "lines/s", unread.execra().median(),
				unread.baseline().median(), Report.Better.HIGHER, "–", "–", Report.percent(unread.execra().spread())));
	}

	/** The figures of the measured rounds: the last ones, after the warm-ups. */
	private static Samples measured(List<Double> figures, BenchmarkOptions options) {
		Samples samples = new Samples();
		for (int i = Math.max(0, figures.size() - options.rounds()); i < figures.size(); i++) {
			samples.add(figures.get(i));
		}
		return samples;
	}

	private double execraLossless(BenchmarkOptions options, List<String> argv, int lines) throws Exception {
		try (ExecraRuntime runtime = Runtimes.builder(options)
			.replayLimits(SUBSCRIBER_WINDOW_EVENTS, SUBSCRIBER_WINDOW_BYTES)
			.build()) {
			Command command = Command.of(argv.get(0), argv.subList(1, argv.size()));
			long start = System.nanoTime();
			JobHandle handle = runtime.spawn(command);
			long delivered = 0;
			long skipped = 0;
			try (EventStream events = handle.events(Delivery.LOSSLESS)) {
				reading: while (true) {
					List<Event> batch = events.nextBatch(LOSSLESS_BATCH, EVENT_TIMEOUT);
					if (batch.isEmpty()) {
						throw new IllegalStateException("no event within 60 s");
					}
					for (Event event : batch) {
						if (event instanceof Event.OutputAppended) {
							delivered++;
						}
						else if (event instanceof Event.Lagged lagged) {
							skipped += lagged.resumeSeq() - lagged.seq();
						}
						else if (event instanceof Event.Finalized) {
							break reading;
						}
					}
				}
			}
			long elapsed = System.nanoTime() - start;
			this.losslessSkipped.add((double) skipped);
			if (delivered + skipped < lines) {
				throw new IllegalStateException("expected " + lines + " lines but saw " + delivered + " + " + skipped
						+ " skipped");
			}
			if (skipped > 0) {
				System.out.printf("    (LOSSLESS subscriber lagged: %d of %d lines skipped)%n", skipped,
						delivered + skipped);
			}
			return delivered / (elapsed / 1e9);
		}
	}

	/**
	 * Reads every line with {@code nextBatch(max, timeout, visitor)}: each line's length is added up from its view,
	 * or from a {@code String} of its own ({@code line()}) when {@code strings} is set, so the text is read either
	 * way, as {@code readLine()} reads it.
	 */
	private double execraLosslessVisited(BenchmarkOptions options, List<String> argv, int lines, boolean strings)
			throws Exception {
		try (ExecraRuntime runtime = Runtimes.builder(options)
			.replayLimits(SUBSCRIBER_WINDOW_EVENTS, SUBSCRIBER_WINDOW_BYTES)
			.build()) {
			Command command = Command.of(argv.get(0), argv.subList(1, argv.size()));
			LineCounter counter = new LineCounter(strings);
			long start = System.nanoTime();
			JobHandle handle = runtime.spawn(command);
			try (EventStream events = handle.events(Delivery.LOSSLESS)) {
				while (!counter.finalized) {
					if (events.nextBatch(LOSSLESS_BATCH, EVENT_TIMEOUT, counter) == 0) {
						throw new IllegalStateException("no event within 60 s");
					}
				}
			}
			long elapsed = System.nanoTime() - start;
			this.losslessSkipped.add((double) counter.skipped);
			if (counter.delivered + counter.skipped < lines || counter.characters < lines) {
				throw new IllegalStateException("expected " + lines + " lines but saw " + counter.delivered + " + "
						+ counter.skipped + " skipped, " + counter.characters + " characters");
			}
			if (counter.skipped > 0) {
				System.out.printf("    (LOSSLESS visitor lagged: %d of %d lines skipped)%n", counter.skipped,
						counter.delivered + counter.skipped);
			}
			return counter.delivered / (elapsed / 1e9);
		}
	}

	/** Counts the lines and characters it is handed, and the lines skipped. */
	private static final class LineCounter implements EventVisitor {

		private final boolean strings;

		long delivered;

		long characters;

		long skipped;

		boolean finalized;

		LineCounter(boolean strings) {
			this.strings = strings;
		}

		@Override
		public void onLine(OutputLine line) {
			this.delivered++;
			this.characters += this.strings ? line.line().length() : line.text().length();
		}

		@Override
		public void onEvent(Event event) {
			if (event instanceof Event.Lagged lagged) {
				this.skipped += lagged.resumeSeq() - lagged.seq();
			}
			else if (event instanceof Event.Finalized) {
				this.finalized = true;
			}
		}

	}

	/**
	 * Two subscribers of one job on two threads, a job stream and an all-jobs subscription (as a UI and Spring's
	 * event bridge are): the lines per second the slower of them got.
	 */
	private double execraTwoSubscribers(BenchmarkOptions options, List<String> argv, int lines) throws Exception {
		try (ExecraRuntime runtime = Runtimes.builder(options)
			.replayLimits(SUBSCRIBER_WINDOW_EVENTS, SUBSCRIBER_WINDOW_BYTES)
			.subscriberBufferSize(SUBSCRIBER_WINDOW_EVENTS)
			.subscriberBufferBytes(SUBSCRIBER_WINDOW_BYTES)
			.build(); EventStream all = runtime.subscribe()) {
			long start = System.nanoTime();
			JobHandle handle = runtime.spawn(Command.of(argv.get(0), argv.subList(1, argv.size())));
			long[] allDelivered = new long[2];
			Exception[] allFailed = new Exception[1];
			String[] allSampled = new String[lines / SAMPLED_EVERY + 2];
			String[] streamSampled = new String[allSampled.length];
			Thread allReader = new Thread(() -> {
				try {
					delivered(all, allSampled, allDelivered);
				}
				catch (Exception ex) {
					allFailed[0] = ex;
				}
			}, "all-jobs-subscriber");
			allReader.start();
			long[] streamDelivered = new long[2];
			try (EventStream events = handle.events()) {
				delivered(events, streamSampled, streamDelivered);
			}
			allReader.join();
			long delivered = streamDelivered[0];
			// until the last event either got: a lagged all-jobs subscriber waited in vain for a dropped Finalized
			long elapsed = Math.max(streamDelivered[1], allDelivered[1]) - start;
			if (allFailed[0] != null) {
				throw allFailed[0];
			}
			int sampled = 0;
			int same = 0;
			for (int i = 0; i < allSampled.length; i++) {
				if (allSampled[i] != null && streamSampled[i] != null) {
					sampled++;
					same += (allSampled[i] == streamSampled[i]) ? 1 : 0;
				}
			}
			this.sharedShares.add((sampled == 0) ? 0 : (double) same / sampled);
			long slower = Math.min(delivered, allDelivered[0]);
			if (slower < lines) {
				System.out.printf("    (lines skipped: job stream %d, all-jobs %d, not counted)%n", lines - delivered,
						lines - allDelivered[0]);
			}
			return slower / (elapsed / 1e9);
		}
	}

	/**
	 * Reads a stream to its job's Finalized, keeping the text of the lines whose seq is a multiple of
	 * {@link #SAMPLED_EVERY}. An all-jobs subscriber that lagged may never get the Finalized, dropped with the
	 * events it missed: it stops once nothing comes for a second after a lag.
	 * @param result where to put the lines it got and the {@code System.nanoTime()} of the last event
	 */
	private static void delivered(EventStream events, String[] sampled, long[] result) throws InterruptedException {
		long delivered = 0;
		boolean lagged = false;
		while (true) {
			Event event = events.next(lagged ? Duration.ofSeconds(1) : EVENT_TIMEOUT);
			if (event == null && lagged) {
				result[0] = delivered;
				return;
			}
			if (event == null) {
				throw new IllegalStateException("no event within 60 s");
			}
			result[1] = System.nanoTime();
			if (event instanceof Event.Lagged) {
				lagged = true;
			}
			if (event instanceof Event.OutputAppended line) {
				delivered++;
				long seq = line.seq();
				if (seq % SAMPLED_EVERY == 0 && seq / SAMPLED_EVERY < sampled.length) {
					sampled[(int) (seq / SAMPLED_EVERY)] = line.line();
				}
			}
			else if (event instanceof Event.Finalized) {
				result[0] = delivered;
				return;
			}
		}
	}

	private static double execraUnread(BenchmarkOptions options, List<String> argv, int lines) throws Exception {
		try (ExecraRuntime runtime = Runtimes.builder(options).build()) {
			long start = System.nanoTime();
			JobHandle handle = runtime.spawn(Command.of(argv.get(0), argv.subList(1, argv.size())));
			Outcome outcome = handle.await();
			long elapsed = System.nanoTime() - start;
			if (!(outcome instanceof Outcome.Succeeded)) {
				throw new IllegalStateException("seq did not succeed: " + outcome);
			}
			return lines / (elapsed / 1e9);
		}
	}

	private double execra(BenchmarkOptions options, List<String> argv, int lines, boolean interpret)
			throws Exception {
		try (ExecraRuntime runtime = Runtimes.builder(options)
			.replayLimits(SUBSCRIBER_WINDOW_EVENTS, SUBSCRIBER_WINDOW_BYTES)
			.build()) {
			Command command = Command.of(argv.get(0), argv.subList(1, argv.size()));
			if (interpret) {
				command = command.interpreter(FIVE_RULES);
			}
			long start = System.nanoTime();
			JobHandle handle = runtime.spawn(command);
			long delivered = 0;
			long skipped = 0;
			try (EventStream events = handle.events()) {
				while (true) {
					Event event = events.next(EVENT_TIMEOUT);
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
			if (!interpret) {
				this.plainSkippedShares.add((double) skipped / (delivered + skipped));
			}
			if (delivered + skipped < lines) {
				throw new IllegalStateException("expected " + lines + " lines but saw " + delivered + " + " + skipped
						+ " skipped");
			}
			if (skipped > 0) {
				System.out.printf("    (subscriber lagged: %d of %d lines skipped, not counted)%n", skipped,
						delivered + skipped);
			}
			// only the lines the subscriber got: skipped ones cost it nothing
			return delivered / (elapsed / 1e9);
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

}
