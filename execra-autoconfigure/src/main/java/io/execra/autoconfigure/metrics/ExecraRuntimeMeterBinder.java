package io.execra.autoconfigure.metrics;

import java.util.Map;
import java.util.function.Supplier;

import io.execra.ExecraRuntime;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the gauges of every execra runtime's load: {@code execra.jobs.queued} and {@code execra.jobs.running},
 * tagged with the runtime's name. Boot binds meter binders once the context's singletons exist, so every runtime
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
			Gauge.builder(ExecraMetrics.JOBS_QUEUED.getName(), runtime, (rt) -> rt.stats().queued())
				.tag(ExecraMetrics.Tags.RUNTIME.asString(), name)
				.strongReference(true)
				.register(registry);
			Gauge.builder(ExecraMetrics.JOBS_RUNNING.getName(), runtime, (rt) -> rt.stats().running())
				.tag(ExecraMetrics.Tags.RUNTIME.asString(), name)
				.strongReference(true)
				.register(registry);
		});
	}

}
