package io.execra;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A page of a job's retained output, read with {@link ExecraRuntime#output}.
 *
 * @param jobId the job
 * @param chunks the lines with {@code seq} greater than the one asked for, in order
 * @param nextSeq the {@code afterSeq} to pass for the next page
 * @param missedFrom {@code 0}, or the first seq of output no longer retained (evicted or truncated) that this
 * page skipped
 * @param exited whether the process has exited
 * @param exit the exit status once known
 * @param closed whether no more output will come (the job is finalized)
 */
public record OutputPage(JobId jobId, List<Chunk> chunks, long nextSeq, long missedFrom, boolean exited,
		@Nullable ExitStatus exit, boolean closed) {

	public OutputPage {
		chunks = List.copyOf(chunks);
	}

	/**
	 * One line of output.
	 *
	 * @param seq the seq of its {@link Event.OutputAppended} event
	 * @param stream stdout or stderr
	 * @param line the text
	 * @param at when it was read (may be {@code null} when read back from a log file)
	 */
	public record Chunk(long seq, StdStream stream, String line, @Nullable Instant at) {
	}

}
