package io.execra.autoconfigure.metrics;

import io.execra.autoconfigure.retention.ExecraRetentionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts retention deletions: {@code execra.retention.deleted{kind=jobs|output_files}}.
 */
public class ExecraRetentionMetrics implements ExecraRetentionListener {

	private final Counter jobs;

	private final Counter files;

	/**
	 * Creates the counters.
	 * @param registry where they go
	 */
	public ExecraRetentionMetrics(MeterRegistry registry) {
		this.jobs = counter(registry, "jobs");
		this.files = counter(registry, "output_files");
	}

	private static Counter counter(MeterRegistry registry, String kind) {
		return Counter.builder(ExecraMetrics.RETENTION_DELETED.getName())
			.tag(ExecraMetrics.Tags.KIND.asString(), kind)
			.register(registry);
	}

	@Override
	public void jobsDeleted(int count) {
		this.jobs.increment(count);
	}

	@Override
	public void outputFilesDeleted(int count) {
		this.files.increment(count);
	}

}
