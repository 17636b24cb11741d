package io.execra.internal.delivery;

import java.time.Duration;
import java.util.List;

import io.execra.ExecraListener;
import io.execra.Finding;
import io.execra.Job;
import io.execra.StdStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls every registered {@link ExecraListener}, catching and logging what they throw.
 */
public final class Listeners implements ExecraListener {

	private static final Logger logger = LoggerFactory.getLogger(Listeners.class);

	private final List<ExecraListener> listeners;

	public Listeners(List<ExecraListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	private void each(java.util.function.Consumer<ExecraListener> call) {
		for (ExecraListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("ExecraListener {} failed", listener, ex);
			}
		}
	}

	@Override
	public void jobCreated(Job job) {
		each((l) -> l.jobCreated(job));
	}

	@Override
	public void jobStarted(Job job, Duration queueWait) {
		each((l) -> l.jobStarted(job, queueWait));
	}

	@Override
	public void jobFinalized(Job job, Duration duration) {
		each((l) -> l.jobFinalized(job, duration));
	}

	@Override
	public void outputLines(StdStream stream, int lines, long bytes) {
		if (!this.listeners.isEmpty()) {
			each((l) -> l.outputLines(stream, lines, bytes));
		}
	}

	@Override
	public void findingEmitted(Finding finding) {
		each((l) -> l.findingEmitted(finding));
	}

	@Override
	public void processSignalled(String signal) {
		each((l) -> l.processSignalled(signal));
	}

	@Override
	public void eventsLagged(long count) {
		each((l) -> l.eventsLagged(count));
	}

	@Override
	public void storeWrite(Duration latency, boolean success) {
		each((l) -> l.storeWrite(latency, success));
	}

	@Override
	public void storeEventsDropped(long count) {
		each((l) -> l.storeEventsDropped(count));
	}

}
