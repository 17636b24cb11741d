package io.execra.internal.log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.execra.Event;
import io.execra.JobId;
import io.execra.StdStream;
import org.jspecify.annotations.Nullable;

/**
 * A run of output lines left undecoded: the lines of one read, kept as the bytes read, each decoded into its
 * {@link Event.OutputAppended} only by the reader that takes it. The job's thread then stores a line as a reference
 * into these bytes (see {@link LineRef}), with no text and no event to build per line, and a line nobody reads is
 * never decoded: the decoding moves off the thread that drains the tool's pipe, to the readers' threads. While the
 * job has several readers, the first to take a line shares its event with the others ({@link DecodedLines}); a copy
 * of the read, made once, holds the bytes from the first such line to its last line terminator. Immutable.
 */
public final class LineRun {

	private final JobId jobId;

	private final Instant at;

	private final StdStream stream;

	private final byte[] bytes;

	/** The readers of the job's event log, who share the lines they decode; {@code null} for none. */
	private final @Nullable LineReaders readers;

	/** Where the job's lines start in a ring of {@link DecodedLines}, so that jobs' lines take different slots. */
	private final int slotBase;

	/**
	 * Lines of a read whose readers each decode their own copy.
	 * @param jobId the job
	 * @param at when the read was made
	 * @param stream the stream read
	 * @param bytes the bytes of the read from the first of these lines to its last line terminator, owned by this
	 * object from now on
	 */
	public LineRun(JobId jobId, Instant at, StdStream stream, byte[] bytes) {
		this(jobId, at, stream, bytes, null);
	}

	/** Lines of a read, shared by a job's counted readers, or by none if {@code null}. */
	LineRun(JobId jobId, Instant at, StdStream stream, byte[] bytes, @Nullable LineReaders readers) {
		this.jobId = jobId;
		this.at = at;
		this.stream = stream;
		this.bytes = bytes;
		this.readers = readers;
		// spread: jobs' seqs all start at 1
		this.slotBase = jobId.hashCode() * 0x9E3779B9;
	}

	/**
	 * The bytes held, for tests of the memory a read's copy takes.
	 * @return how many
	 */
	int bytesHeld() {
		return this.bytes.length;
	}

	/** @return the job whose output was read */
	JobId jobId() {
		return this.jobId;
	}

	/** @return where the job's lines start in a ring of {@link DecodedLines} */
	int slotBase() {
		return this.slotBase;
	}

	/** @return the stream read */
	public StdStream stream() {
		return this.stream;
	}

	/** @return when the read was made */
	public Instant at() {
		return this.at;
	}

	/**
	 * Whether the interpreter would do nothing with a referenced line, asked without decoding it if it is ASCII.
	 * @param interpreter the job's interpreter
	 * @param ref the line's reference
	 * @return {@code true} if the interpreter need not get the line
	 */
	public boolean ignoredBy(AsciiLineFilter interpreter, long ref) {
		return LineRef.isAscii(ref)
				&& interpreter.ignores(this.stream, this.bytes, LineRef.start(ref), LineRef.length(ref));
	}

	/**
	 * A line's event for one of its readers: shared with the job's other readers while it has several, otherwise
	 * decoded for this one.
	 * @param seq the line's seq
	 * @param ref its reference, from {@link LineRef}
	 * @return the event
	 */
	Event.OutputAppended sharedLine(long seq, long ref) {
		LineReaders readers = this.readers;
		DecodedLines shared = (readers != null) ? readers.sharing() : null;
		return (shared != null) ? shared.line(this, seq, ref) : line(seq, ref);
	}

	/**
	 * Decodes a line into its event (lossy UTF-8, as the job's decoder does).
	 * @param seq the line's seq
	 * @param ref its reference, from {@link LineRef}
	 * @return the event
	 */
	public Event.OutputAppended line(long seq, long ref) {
		return new Event.OutputAppended(this.jobId, seq, this.at, this.stream, text(ref), false);
	}

	/**
	 * Decodes a line's text.
	 * @param ref its reference, from {@link LineRef}
	 * @return the text
	 */
	public String text(long ref) {
		return decode(this.bytes, LineRef.start(ref), LineRef.length(ref), LineRef.isAscii(ref));
	}

	/**
	 * A line's text without a string where it can be read in place: an ASCII line as a view of the run's bytes.
	 * @param ref its reference, from {@link LineRef}
	 * @param view the view to move to the line if it is ASCII
	 * @return the view, or the decoded text
	 */
	CharSequence text(long ref, AsciiText view) {
		return LineRef.isAscii(ref) ? view.of(this.bytes, LineRef.start(ref), LineRef.length(ref)) : text(ref);
	}

	/**
	 * Decodes bytes as lossy UTF-8, the decoder's way for every line.
	 * @param bytes the bytes
	 * @param offset the first
	 * @param length how many
	 * @param ascii whether they are all ASCII, to be copied rather than decoded
	 * @return the text
	 */
	static String decode(byte[] bytes, int offset, int length, boolean ascii) {
		return ascii ? ascii(bytes, offset, length) : new String(bytes, offset, length, StandardCharsets.UTF_8);
	}

	/**
	 * Text known to be ASCII: its bytes are its characters, so the string is a copy of them, without the UTF-8
	 * decoder checking them again.
	 * @param bytes the bytes
	 * @param offset the first
	 * @param length how many
	 * @return the text
	 */
	@SuppressWarnings("deprecation")
	static String ascii(byte[] bytes, int offset, int length) {
		return new String(bytes, 0, offset, length);
	}

	/** Decides from a line's bytes, without decoding them, that nothing needs the line. */
	@FunctionalInterface
	public interface AsciiLineFilter {

		/**
		 * @param stream the line's stream
		 * @param bytes the buffer holding the line
		 * @param start where the line starts in it
		 * @param length its length in bytes
		 * @return {@code true} if the line need not be decoded for this filter
		 */
		boolean ignores(StdStream stream, byte[] bytes, int start, int length);

	}

}
