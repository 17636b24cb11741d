package io.execra.internal.log;

import java.time.Instant;
import java.util.Arrays;

import io.execra.JobId;
import io.execra.StdStream;
import org.jspecify.annotations.Nullable;

/**
 * The lines decoded from one read of a stream: each is handed on as soon as it is framed, with the timestamp of the
 * read (they arrived together), while the job's lock is held once for the whole read. Only the number of lines and
 * their bytes are kept, for the listeners told after the lock is released: no line is held beyond its handling.
 * <p>
 * When the batch allows it, a whole line lying in the read is handed on undecoded, as a reference into a copy of
 * the read made at its first such line ({@link LineRun}); other lines (split, or spanning two reads) are
 * decoded. Lines left undecoded are handed on in runs of up to {@value #RUN}, at the latest when the pump
 * {@linkplain #flush() flushes} the batch, and always before a decoded line that follows them. Not thread-safe: one
 * per pump, used under its decoder's monitor.
 */
public final class LineBatch implements LineDecoder.Sink {

	/** Handles one decoded line of the batch. */
	@FunctionalInterface
	public interface Handler {

		/**
		 * Handles a line.
		 * @param stream the stream
		 * @param text the decoded text
		 * @param split whether the line continues in the next one
		 * @param bytes the raw length in bytes
		 * @param at when the line was read
		 */
		void line(StdStream stream, String text, boolean split, int bytes, Instant at);

	}

	/** Handles a run of consecutive lines of the batch left undecoded. */
	@FunctionalInterface
	public interface UndecodedHandler {

		/**
		 * Handles lines, in order.
		 * @param run the lines of the read, with their stream and timestamp
		 * @param refs the lines' references into them (see {@link LineRef}), from index 0
		 * @param count how many
		 */
		void lines(LineRun run, long[] refs, int count);

	}

	/** Lines left undecoded handed on at most in one run. */
	static final int RUN = 256;

	private final JobId jobId;

	private final StdStream stream;

	private final Handler handler;

	private final UndecodedHandler undecodedHandler;

	/** The readers of the job's event log, named by the runs made, or {@code null}. */
	private final @Nullable LineReaders readers;

	private @Nullable Instant at;

	private boolean handling;

	private boolean undecoded;

	/** The buffer of the read being decoded, and where its bytes end. */
	private byte @Nullable [] read;

	private int readEnd;

	/** The copy of the read holding the lines handed on undecoded in this batch, once there is one. */
	private @Nullable LineRun run;

	/** Where that copy starts in the read. */
	private int runStart;

	/**
	 * The references of the lines framed but not yet handed on, {@link #pending} of them: lines left undecoded are
	 * handed on in runs, so that the job stages each run in one go rather than line by line. Allocated at the
	 * first such line, so that a quiet stream does not pay for it.
	 */
	private long @Nullable [] refs;

	private int pending;

	private int size;

	private long bytes;

	public LineBatch(JobId jobId, StdStream stream, Handler handler, UndecodedHandler undecodedHandler) {
		this(jobId, stream, handler, undecodedHandler, null);
	}

	/**
	 * A batch whose lines left undecoded are shared decoded by the readers of the job's event log.
	 * @param jobId the job
	 * @param stream the stream read
	 * @param handler handles a decoded line
	 * @param undecodedHandler handles a run of lines left undecoded
	 * @param log the job's event log, whose readers share the lines they decode (see {@link DecodedLines}), or
	 * {@code null}
	 */
	public LineBatch(JobId jobId, StdStream stream, Handler handler, UndecodedHandler undecodedHandler,
			@Nullable EventLog log) {
		this.jobId = jobId;
		this.stream = stream;
		this.handler = handler;
		this.undecodedHandler = undecodedHandler;
		this.readers = (log != null) ? log.lineReaders() : null;
	}

	/**
	 * Names the read whose lines the next batch decodes, so that they may be handed on undecoded.
	 * @param buffer the buffer read into
	 * @param length the bytes read
	 */
	public void read(byte[] buffer, int length) {
		this.read = buffer;
		this.readEnd = length;
	}

	/**
	 * Starts a batch.
	 * @param at when its lines were read
	 * @param handle whether to hand the lines on, or only to count them
	 * @param undecoded whether lines lying whole in the read may be handed on undecoded
	 */
	public void start(Instant at, boolean handle, boolean undecoded) {
		this.at = at;
		this.handling = handle;
		this.undecoded = undecoded && handle;
		this.run = null;
		this.pending = 0;
		this.size = 0;
		this.bytes = 0;
	}

	@Override
	public void line(String text, boolean split, int length) {
		this.size++;
		this.bytes += length;
		if (this.handling && this.at != null) {
			// after the lines framed before it
			flush();
			this.handler.line(this.stream, text, split, length, this.at);
		}
	}

	@Override
	public void line(byte[] buffer, int start, int length, boolean ascii) {
		// kept small, the rare cases in methods of their own, so the JIT can inline it into the decoding loop
		if (!this.undecoded || buffer != this.read) {
			decode(buffer, start, length, ascii);
			return;
		}
		this.size++;
		this.bytes += length;
		long[] refs = this.refs;
		if (this.run == null || refs == null) {
			refs = firstUndecoded(buffer, start);
		}
		refs[this.pending++] = LineRef.of(start - this.runStart, length, ascii);
		if (this.pending == RUN) {
			flush();
		}
	}

	/** Copies the read at the batch's first line left undecoded; returns where to keep the lines' references. */
	private long[] firstUndecoded(byte[] buffer, int start) {
		if (this.run == null) {
			copyRead(buffer, start);
		}
		if (this.refs == null) {
			this.refs = new long[RUN];
		}
		return this.refs;
	}

	/**
	 * Hands on the lines left undecoded that are framed and not yet handed on. Called before a decoded line is
	 * handed on, and by the pump at the end of each step of the decoder, before it publishes the batch.
	 */
	public void flush() {
		int count = this.pending;
		LineRun run = this.run;
		long[] refs = this.refs;
		if (count > 0 && run != null && refs != null) {
			this.pending = 0;
			this.undecodedHandler.lines(run, refs, count);
		}
	}

	/** A line handed on decoded, or only counted if the batch does not hand lines on. */
	private void decode(byte[] buffer, int start, int length, boolean ascii) {
		if (!this.handling || this.at == null) {
			this.size++;
			this.bytes += length;
			return;
		}
		LineDecoder.Sink.super.line(buffer, start, length, ascii);
	}

	/**
	 * Copies the read from its first line handed on undecoded to its last line terminator, for this batch's
	 * undecoded lines: a partial line at the end, which the decoder keeps itself, is left out, so the copy holds only
	 * lines that the windows count.
	 */
	private void copyRead(byte[] buffer, int start) {
		this.runStart = start;
		int end = this.readEnd;
		while (end > start && buffer[end - 1] != '\n' && buffer[end - 1] != '\r') {
			end--;
		}
		this.run = new LineRun(this.jobId, this.at, this.stream, Arrays.copyOfRange(buffer, start, end),
				this.readers);
	}

	public StdStream stream() {
		return this.stream;
	}

	/** @return the number of lines in the batch */
	public int size() {
		return this.size;
	}

	/** @return the raw length in bytes of the lines in the batch, terminators excluded */
	public long bytes() {
		return this.bytes;
	}

}
