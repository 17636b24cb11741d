package io.execra.internal.job;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.execra.ExitStatus;
import io.execra.JobId;
import io.execra.OutputPage;
import io.execra.internal.Durations;
import io.execra.internal.log.JobOutput;
import org.jspecify.annotations.Nullable;

/**
 * Pages of a job's retained output, read by {@link io.execra.ExecraRuntime#output}: a read waits, on the condition
 * the job's {@link EventSequencer} signals, until there is output after the seq asked for, the job finalized, or
 * the wait ran out. Takes the job's lock itself: call it without the lock.
 */
final class OutputPages {

	private final JobId id;

	private final ReentrantLock lock;

	private final Condition changed;

	private final JobOutput output;

	private final BooleanSupplier finalized;

	private final Supplier<@Nullable ExitStatus> exit;

	/**
	 * @param id the job
	 * @param lock the job's lock
	 * @param changed the condition signalled when the job has new events or output
	 * @param output the job's output
	 * @param finalized whether the job finalized, asked under the lock
	 * @param exit the job's exit once announced, asked under the lock
	 */
	OutputPages(JobId id, ReentrantLock lock, Condition changed, JobOutput output, BooleanSupplier finalized,
			Supplier<@Nullable ExitStatus> exit) {
		this.id = id;
		this.lock = lock;
		this.changed = changed;
		this.output = output;
		this.finalized = finalized;
		this.exit = exit;
	}

	/** Reads retained output; see {@link io.execra.ExecraRuntime#output}. */
	OutputPage read(long afterSeq, int maxBytes, Duration wait) throws InterruptedException {
		long nanos = Durations.nanos(wait);
		this.lock.lock();
		try {
			while (true) {
				long[] missed = new long[1];
				List<OutputPage.Chunk> chunks = this.output.read(afterSeq, Math.max(1, maxBytes), missed);
				boolean closed = this.finalized.getAsBoolean();
				if (!chunks.isEmpty() || closed || nanos <= 0 || missed[0] > 0) {
					long next = chunks.isEmpty() ? Math.max(afterSeq, closed ? this.output.lastSeq() : afterSeq)
							: chunks.get(chunks.size() - 1).seq();
					ExitStatus exit = this.exit.get();
					return new OutputPage(this.id, chunks, next, missed[0], exit != null, exit, closed);
				}
				nanos = this.changed.awaitNanos(nanos);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

}
