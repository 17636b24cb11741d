package io.execra.internal.job;

import java.time.Clock;
import java.time.Instant;

import io.execra.Event;
import io.execra.JobId;
import io.execra.StdStream;
import io.execra.internal.log.JobOutput;
import io.execra.internal.log.LineBatch;
import io.execra.internal.log.LineDecoder;
import io.execra.internal.log.LineRef;
import io.execra.internal.log.LineRun;
import io.execra.interpret.Line;
import org.jspecify.annotations.Nullable;

/**
 * Takes in a job's output lines, as its pumps decode them: masks secrets, applies the output limit, gives each line
 * kept its seq and stages it in the job's output, and hands it to the interpreter. Lines left undecoded take one of
 * three paths: staged in runs, staged line by line, or decoded once the output spilled to its log file. Not
 * thread-safe: every method is called under the job's lock, within a batch of the {@link EventSequencer}.
 */
final class OutputIntake {

	private final JobId id;

	private final Clock clock;

	private final EventSequencer events;

	private final JobOutput output;

	/** Masks the command's literal secrets in output lines; {@code null} when it has none. */
	private final @Nullable OutputMasker masker;

	private final OutputLimiter limiter;

	private final InterpreterBridge interpreter;

	/** Kills the job, when its output passed the limit of the FAIL strategy. */
	private final Runnable kill;

	private boolean outputSpilled;

	/** Set when finalization starts: late lines from abandoned pumps are ignored. */
	private boolean abandoned;

	/**
	 * @param id the job
	 * @param clock the clock of the warnings
	 * @param events gives the lines their seqs and publishes them
	 * @param output the job's output, which stages the lines in its event log
	 * @param masker masks secrets, or {@code null}
	 * @param limiter the output limit
	 * @param interpreter the job's interpreter
	 * @param kill kills the job
	 */
	OutputIntake(JobId id, Clock clock, EventSequencer events, JobOutput output, @Nullable OutputMasker masker,
			OutputLimiter limiter, InterpreterBridge interpreter, Runnable kill) {
		this.id = id;
		this.clock = clock;
		this.events = events;
		this.output = output;
		this.masker = masker;
		this.limiter = limiter;
		this.interpreter = interpreter;
		this.kill = kill;
	}

	private Instant now() {
		return this.clock.instant();
	}

	/** Stops taking lines in: the job is finalizing, and the lines of pumps still reading are only counted. */
	void abandon() {
		this.abandoned = true;
	}

	/** @return whether lines are taken in, rather than only counted */
	boolean accepting() {
		return !this.abandoned;
	}

	/**
	 * Ends a stream's lines: the decoder's last line, then any text the masker held back from the last part of a
	 * split line, as the line's end.
	 */
	void finish(LineDecoder decoder, LineBatch batch) {
		decoder.finish();
		if (this.masker != null && this.masker.holds(batch.stream())) {
			batch.line("", false, 0);
		}
	}

	/**
	 * Whether the lines of the next batch may be kept undecoded ({@link LineRun}): unless their text is
	 * needed on this thread, with secrets masked or for the output log file. An interpreter gets each line's text
	 * decoded for it, and global subscribers get each line queued undecoded, while the log keeps the bytes.
	 */
	boolean linesMayStayUndecoded() {
		return this.masker == null && !this.output.writesFile() && !this.events.storesOutput();
	}

	/** Handles one line. */
	void line(StdStream stream, String raw, boolean split, int bytes, Instant at) {
		String text = (this.masker != null) ? this.masker.mask(stream, raw, split) : raw;
		if (split && text.isEmpty()) {
			// all of it may start a secret: held back by the masker for the line's next part
			withinOutputLimit(bytes);
			return;
		}
		boolean publish = withinOutputLimit(bytes);
		long seq = 0;
		if (publish) {
			// built here rather than through emit's factory: no capturing lambda per line, and never stored
			seq = this.events.nextSeq();
			add(new Event.OutputAppended(this.id, seq, at, stream, text, split));
		}
		if (this.interpreter.isActive()) {
			this.interpreter.onLine(new Line(stream, text, at, seq));
		}
		this.events.publishIfDue();
	}

	/**
	 * Handles a run of lines left undecoded, in a batch for which {@link #linesMayStayUndecoded()} held. While the
	 * lines need no handling of their own — no log file to write, all within the output limit — they are staged in
	 * the event log in runs, in slices that end where a publish falls due; a line the interpreter does not ignore
	 * ends a run, and gets the interpreter's attention before the next line is staged, as line by line. Otherwise
	 * they are handled line by line.
	 */
	void undecodedLines(LineRun lines, long[] refs, int count) {
		if (this.output.writesFile() || !this.limiter.countAll(LineRef.length(refs, count), count)) {
			for (int i = 0; i < count; i++) {
				line(lines, refs, i);
			}
			return;
		}
		int from = 0;
		if (this.interpreter.isActive()) {
			for (int i = 0; i < count; i++) {
				if (this.interpreter.isActive() && !lines.ignoredBy(this.interpreter, refs[i])) {
					stage(lines, refs, from, i + 1);
					interpretDecoded(lines, refs[i], this.events.lastSeq());
					this.events.publishIfDue();
					from = i + 1;
				}
			}
		}
		stage(lines, refs, from, count);
	}

	/**
	 * Stages lines left undecoded in the event log, counted against the output limit already, in slices that end
	 * where a publish falls due.
	 */
	private void stage(LineRun lines, long[] refs, int from, int to) {
		while (from < to) {
			int end = to;
			boolean deferring = this.events.deferringLines();
			if (deferring) {
				end = Math.min(to, from + this.events.deferredRoom());
			}
			long first = this.events.lastSeq() + 1;
			int staged = this.output.add(first, lines, refs, from, end, !this.outputSpilled);
			this.events.takenUpTo(first + staged - 1);
			if (deferring) {
				this.events.deferLines(lines, refs, from, from + staged, first);
			}
			from += staged;
			this.events.publishIfDue();
		}
	}

	/**
	 * Handles one line of a run left undecoded, in a batch for which {@link #linesMayStayUndecoded()} held, when the
	 * run cannot be staged in one go (see {@link #undecodedLines}): staged alone, or decoded once the output spilled
	 * to its log file.
	 */
	private void line(LineRun lines, long[] refs, int index) {
		long ref = refs[index];
		long seq = 0;
		if (withinOutputLimit(LineRef.length(ref))) {
			if (this.output.writesFile()) {
				seq = this.events.nextSeq();
				addDecoded(lines, ref, seq);
			}
			else {
				stage(lines, refs, index, index + 1);
				seq = this.events.lastSeq();
			}
		}
		if (this.interpreter.isActive()) {
			interpret(lines, ref, seq);
		}
		this.events.publishIfDue();
	}

	/** The output spilled to its log file in this batch: the file takes the text. */
	private void addDecoded(LineRun lines, long ref, long seq) {
		add(lines.line(seq, ref));
	}

	/** Hands the interpreter a line left undecoded, unless it ignores it. */
	private void interpret(LineRun lines, long ref, long seq) {
		if (!lines.ignoredBy(this.interpreter, ref)) {
			interpretDecoded(lines, ref, seq);
		}
	}

	/** Hands the interpreter a line left undecoded, decoded for it. */
	private void interpretDecoded(LineRun lines, long ref, long seq) {
		// a short-lived copy of the text: the log keeps the bytes, which cost the heap less while it holds them
		this.interpreter.onLine(new Line(lines.stream(), lines.text(ref), lines.at(), seq));
	}

	/** Keeps a line's event: staged in the event log by the job's output, and published with the batch. */
	private void add(Event.OutputAppended appended) {
		String failure = this.output.add(appended, !this.outputSpilled);
		if (this.events.deferringLines()) {
			this.events.defer(appended);
		}
		if (this.events.storesOutput()) {
			this.events.storeLine(appended);
		}
		if (failure != null) {
			this.events.emit((s) -> new Event.WarningDetected(this.id, s, now(), "output_log_failed", failure));
		}
	}

	/** Applies the output limit; returns whether the line is published. */
	private boolean withinOutputLimit(int bytes) {
		OutputLimiter.Verdict verdict = this.limiter.count(bytes);
		return verdict == OutputLimiter.Verdict.PUBLISH || beyondOutputLimit(verdict);
	}

	/** Acts on any other verdict than {@code PUBLISH}; returns whether the line is published. */
	private boolean beyondOutputLimit(OutputLimiter.Verdict verdict) {
		switch (verdict) {
			case SPILLED:
				return true;
			case TRUNCATE_NOW:
				this.events.emit((s) -> new Event.WarningDetected(this.id, s, now(), "output_truncated",
						"output truncated after " + this.limiter.limit()
								+ " bytes; further lines are not kept or published"));
				return false;
			case FAIL_NOW:
				this.kill.run();
				return false;
			case SPILL_NOW:
				this.outputSpilled = true;
				this.output.spillToFile();
				this.events.emit((s) -> new Event.WarningDetected(this.id, s, now(), "output_spilled", "output passed "
						+ this.limiter.limit() + " bytes; further lines are kept in the output log file only"));
				return true;
			default:
				return false;
		}
	}

}
