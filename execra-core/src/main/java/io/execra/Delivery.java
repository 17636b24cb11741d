package io.execra;

import java.time.Duration;

/**
 * How a subscription to one job's events treats a reader that falls behind: see
 * {@link JobHandle#events(Delivery)} and {@link ExecraRuntime#subscribe(JobId, Delivery)}.
 * <ul>
 * <li>{@link #BEST_EFFORT} (what {@link JobHandle#events()} gives): the job never waits for the reader; one that
 * falls out of the job's replay window gets an {@link Event.Lagged} naming the first event it missed.</li>
 * <li>{@link #LOSSLESS}: the reader gets every event, every output line included. When it falls a replay window
 * behind, the job's output pump stops reading that job's stdout and stderr until the reader has taken half of what
 * it is behind; the process then blocks in {@code write(2)} once the OS pipe is full, as it would under a shell
 * pipe into a slow program. Memory stays bounded by the replay window plus one read of each stream (64 KiB), and
 * no other job, no other subscriber and no store write ever waits for it. A reader that takes nothing for
 * {@link Lossless#stallTimeout()} while the job waits for it stops holding the job back (a warning is logged): it
 * then reads as {@link #BEST_EFFORT}, and gets an {@link Event.Lagged} if it falls out of the window. The last
 * lines of a process that exited by itself are delivered however long the reader takes; a job being cancelled or
 * timed out stops waiting once its processes are signalled, its readers then reading as best-effort ones.</li>
 * </ul>
 * Only the events of one job can be read losslessly: the all-jobs subscriptions never hold a job back.
 */
public sealed interface Delivery {

	/** The job never waits for the reader; a reader that falls out of the replay window gets a {@link Event.Lagged}. */
	Delivery BEST_EFFORT = new BestEffort();

	/** Every event is delivered; the job waits for the reader, which stops holding it back after a 30 s stall. */
	Delivery LOSSLESS = new Lossless(Duration.ofSeconds(30));

	/**
	 * Lossless delivery with a stall timeout of its own.
	 * @param stallTimeout how long the reader may take nothing while the job waits for it before it stops holding
	 * the job back; positive
	 * @return the delivery
	 * @throws IllegalArgumentException if the timeout is not positive
	 */
	static Delivery lossless(Duration stallTimeout) {
		return new Lossless(stallTimeout);
	}

	/**
	 * The job never waits for the reader: {@link #BEST_EFFORT}.
	 */
	record BestEffort() implements Delivery {
	}

	/**
	 * Every event is delivered, the job waiting for the reader (see {@link Delivery}).
	 * @param stallTimeout how long the reader may take nothing while the job waits for it before it stops holding
	 * the job back
	 */
	record Lossless(Duration stallTimeout) implements Delivery {

		public Lossless {
			Checks.positive(stallTimeout, "stallTimeout");
		}

	}

}
