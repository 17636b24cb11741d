package io.execra.autoconfigure.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import io.execra.ExecraListener;
import io.execra.Finding;
import io.execra.Job;
import io.execra.StdStream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Records one runtime's {@link ExecraMetrics} from its {@link ExecraListener} callbacks, tagged with the runtime's
 * name: queue wait, output, findings, signals, lagged events and store writes. A job's duration and the jobs running
 * now come from its observation ({@link ExecraObservationListener}), not from here. Meters used on every output line
 * are resolved once.
 */
public class ExecraMetricsListener implements ExecraListener {

	private final MeterRegistry registry;

	private final Tags runtimeTags;

	private final Timer queueWait;

	private final Map<StdStream, Counter> lines = new EnumMap<>(StdStream.class);

	private final Map<StdStream, Counter> bytes = new EnumMap<>(StdStream.class);

	private final Counter lagged;

	private final Counter dropped;

	/**
	 * Creates the listener of one runtime.
	 * @param registry where the meters go
	 * @param runtimeName the runtime's name
	 */
	public ExecraMetricsListener(MeterRegistry registry, String runtimeName) {
		this.registry = registry;
		this.runtimeTags = Tags.of(ExecraMetrics.Tags.RUNTIME.asString(), runtimeName);
		this.queueWait = Timer.builder(ExecraMetrics.JOB_QUEUE_WAIT.getName()).tags(this.runtimeTags).register(registry);
		for (StdStream stream : StdStream.values()) {
			Tags tags = this.runtimeTags.and(ExecraMetrics.Tags.STREAM.asString(), stream.id());
			this.lines.put(stream, counter(ExecraMetrics.OUTPUT_LINES, tags));
			this.bytes.put(stream, Counter.builder(ExecraMetrics.OUTPUT_BYTES.getName())
				.baseUnit(ExecraMetrics.OUTPUT_BYTES.getBaseUnit())
				.tags(tags)
				.register(registry));
		}
		this.lagged = counter(ExecraMetrics.EVENTS_LAGGED, this.runtimeTags);
		this.dropped = counter(ExecraMetrics.STORE_EVENTS_DROPPED, this.runtimeTags);
	}

	@Override
	public void jobStarted(Job job, Duration queueWait) {
		this.queueWait.record(queueWait);
	}

	@Override
	public void outputLines(StdStream stream, int lines, long bytes) {
		this.lines.get(stream).increment(lines);
		this.bytes.get(stream).increment(bytes);
	}

	@Override
	public void findingEmitted(Finding finding) {
		counter(ExecraMetrics.FINDINGS, this.runtimeTags.and(ExecraMetrics.Tags.SEVERITY.asString(),
				finding.severity().name().toLowerCase(Locale.ROOT)))
			.increment();
	}

	@Override
	public void processSignalled(String signal) {
		counter(ExecraMetrics.PROCESS_KILLS,
				this.runtimeTags.and(ExecraMetrics.Tags.SIGNAL.asString(), signal.toLowerCase(Locale.ROOT)))
			.increment();
	}

	@Override
	public void eventsLagged(long count) {
		this.lagged.increment(count);
	}

	@Override
	public void storeWrite(Duration latency, boolean success) {
		Timer.builder(ExecraMetrics.STORE_WRITE.getName())
			.tags(this.runtimeTags.and(ExecraMetrics.Tags.RESULT.asString(), success ? "success" : "failure"))
			.register(this.registry)
			.record(latency);
	}

	@Override
	public void storeEventsDropped(long count) {
		this.dropped.increment(count);
	}

	private Counter counter(ExecraMetrics meter, Tags tags) {
		return Counter.builder(meter.getName()).tags(tags).register(this.registry);
	}

}
