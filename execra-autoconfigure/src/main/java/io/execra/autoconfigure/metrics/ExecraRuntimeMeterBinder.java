package io.execra.autoconfigure.metrics;

import java.util.Map;
import java.util.function.Supplier;

import io.execra.ExecraRuntime;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the gauge of every execra runtime's queue, {@code execra.job.queued}, tagged with the runtime's name (the jobs
 * running now are the active tasks of {@code execra.job.active}). Boot binds meter binders once the context's singletons exist, so every runtime
 * is there.
 */
public class ExecraRuntimeMeterBinder implements MeterBinder {

	private final Supplier<Map<String, ExecraRuntime>> runtimes;

	/**
	 * Creates the binder.
	 * @param runtimes the runtimes by name
	 */
	public ExecraRuntimeMeterBinder(Supplier<Map<String, ExecraRuntime>> runtimes) {
		this.runtimes = runtimes;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.runtimes.get().forEach((name, runtime) -> {
			Gauge.builder(ExecraMetrics.JOB_QUEUED.getName(), runtime, (rt) -> rt.stats().queued())
				.tag(ExecraMetrics.Tags.RUNTIME.asString(), name)
				.strongReference(true)
				.register(registry);
		});
	}

}
