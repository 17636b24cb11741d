package io.execra.internal.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.execra.Event;
import io.execra.Job;
import io.execra.JobId;
import io.execra.OutputPage;
import io.execra.UnknownJobException;
import io.execra.internal.Durations;
import io.execra.internal.PollWait;
import io.execra.store.JobStore;

/**
 * Pages of the output of a job that runs on another node, read from its output lines in the store (in cluster mode
 * the node that runs a job stores them), long-polling as {@link io.execra.ExecraRuntime#output} does: woken when
 * the database signals the job's events, and at least every poll interval.
 */
public final class StoredOutput {

	private static final int PAGE = 1000;

	private final JobStore store;

	private final EventWakeups wakeups;

	private final Duration poll;

	/**
	 * @param store the store
	 * @param wakeups wakes the wait when the job's events are written
	 * @param poll how often the store is read without a signal
	 */
	public StoredOutput(JobStore store, EventWakeups wakeups, Duration poll) {
		this.store = store;
		this.wakeups = wakeups;
		this.poll = poll;
	}

	/**
	 * Reads a page.
	 * @param id the job
	 * @param afterSeq the seq the lines follow
	 * @param maxBytes a soft limit on the page's size
	 * @param wait how long to wait for a line
	 * @return the page
	 * @throws InterruptedException if interrupted while waiting
	 */
	public OutputPage read(JobId id, long afterSeq, int maxBytes, Duration wait) throws InterruptedException {
		long deadline = System.nanoTime() + Durations.nanos(wait);
		PollWait written = new PollWait(this.poll);
		try (EventWakeups.Registration registration = this.wakeups.register(id, written::wake)) {
			while (true) {
				Job job = this.store.find(id).orElseThrow(() -> new UnknownJobException(id));
				OutputPage page = page(job, afterSeq, maxBytes);
				long left = deadline - System.nanoTime();
				if (!page.chunks().isEmpty() || page.closed() || left <= 0) {
					return page;
				}
				written.await(left);
			}
		}
	}

	private OutputPage page(Job job, long afterSeq, int maxBytes) {
		List<OutputPage.Chunk> chunks = new ArrayList<>();
		long next = afterSeq;
		long bytes = 0;
		List<Event> events = this.store.events(job.id(), afterSeq, PAGE);
		boolean more = events.size() == PAGE;
		for (Event event : events) {
			if (event instanceof Event.OutputAppended line) {
				if (!chunks.isEmpty() && bytes + line.line().length() > maxBytes) {
					more = true;
					break;
				}
				chunks.add(new OutputPage.Chunk(line.seq(), line.stream(), line.line(), line.at()));
				bytes += line.line().length();
			}
			next = event.seq();
		}
		// a job the store has finalized gets no more lines than the store has now
		return new OutputPage(job.id(), chunks, next, 0, job.exit() != null, job.exit(), job.isFinalized() && !more);
	}

}
